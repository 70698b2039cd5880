package io.tributary.core;

import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.ClusterView;
import io.tributary.core.api.Topics;
import io.tributary.core.api.local.LocalAdmin;
import io.tributary.core.api.local.LocalConsumerGroups;
import io.tributary.core.api.local.LocalRecords;
import io.tributary.core.api.local.LocalTopics;
import io.tributary.core.api.local.SoloClusterView;
import io.tributary.core.cluster.ClusterBootstrap;
import io.tributary.core.cluster.ClusterConfigs;
import io.tributary.core.cluster.ClusterMember;
import io.tributary.core.cluster.ClusterServices;
import io.tributary.core.cluster.ControlledShutdown;
import io.tributary.core.cluster.Controller;
import io.tributary.core.cluster.ControllerClient;
import io.tributary.core.cluster.HazelcastClusterView;
import io.tributary.core.cluster.HazelcastSettings;
import io.tributary.core.cluster.Membership;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ClusterConfigDef;
import io.tributary.core.config.BrokerConfigDef;
import io.tributary.core.config.Listener;
import io.tributary.core.config.ListenerProtocols;
import io.tributary.core.config.SecurityConfigDef;
import io.tributary.core.config.TopicConfigs;
import io.tributary.core.group.GroupConfig;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.log.LogManager;
import io.tributary.core.metadata.MetadataStore;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicRegistry;
import io.tributary.core.metrics.BrokerMetrics;
import io.tributary.core.metrics.ConsumerLagMetrics;
import io.tributary.core.metrics.EventLoopDelayProbe;
import io.tributary.core.metrics.ReplicationMetrics;
import io.tributary.core.network.ConnectionLimits;
import io.tributary.core.network.KafkaListenerVerticle;
import io.tributary.core.network.SocketBuffers;
import io.tributary.core.partition.PartitionRegistry;
import io.tributary.core.producer.ProducerIdAllocator;
import io.tributary.core.protocol.ConsumerSubscriptions;
import io.tributary.core.protocol.CoordinatorRecordBatches;
import io.tributary.core.protocol.HandlerRegistry;
import io.tributary.core.protocol.KafkaRequestProcessor;
import io.tributary.core.protocol.replica.ReplicaFetchers;
import io.tributary.core.replication.ReplicaManager;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.txn.TransactionCoordinator;
import io.tributary.core.txn.TxnConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A running broker: its Vert.x instance, storage and listeners. {@link #start} brings everything up
 * in dependency order (log dirs, identity, topics and their logs, then listeners); {@link #stop}
 * takes it down in reverse, answering in-flight requests and closing every log cleanly.
 */
public final class Broker {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final Vertx vertx;
    private final BrokerConfig config;
    private final LogDirLock lock;
    private final PartitionRegistry partitions;
    private final BrokerServices services;
    /** Retention and compaction of every partition log, in the background. */
    private final LogManager logs;
    private final ConsumerLagMetrics lagMetrics;
    private final EventLoopDelayProbe loopDelay;
    /** The broker as the gateways and connectors use it. */
    private final BrokerApi api;
    private final List<String> deployments = new ArrayList<>();
    private final List<BoundListener> bound = new ArrayList<>();
    /** TLS, SASL users and ACLs of every listener; loaded before the listeners bind. */
    private BrokerSecurity security;
    private boolean stopped;

    private Broker(Vertx vertx, BrokerConfig config, LogDirLock lock, PartitionRegistry partitions,
                   BrokerServices services, ClusterView clusterView) {
        this.vertx = vertx;
        this.config = config;
        this.lock = lock;
        this.partitions = partitions;
        this.services = services;
        this.logs = new LogManager(vertx, config, partitions, services.clock());
        Topics topics = new LocalTopics(services);
        this.api = new BrokerApi(new LocalRecords(services, topics), topics, new LocalConsumerGroups(services),
                services.metrics(), new LocalAdmin(services, LocalAdmin.fromMetadata(services, this::boundListeners)),
                clusterView);
        logs.start();
        this.lagMetrics = new ConsumerLagMetrics(services.metrics().registry(), partitions.owners().get(0),
                services.groups(), partitions, (Long) config.value(BrokerConfigDef.METRICS_CONSUMER_LAG_INTERVAL_MS));
        this.loopDelay = new EventLoopDelayProbe(services.metrics().registry(), partitions.owners());
        lagMetrics.start();
        loopDelay.start();
    }

    /** Says so when Netty's native transport is not available (another OS or CPU): sockets then use NIO. */
    private static void logTransport(Vertx vertx) {
        if (!vertx.isNativeTransportEnabled()) {
            Throwable cause = vertx.unavailableNativeTransportCause();
            LOG.info("Netty's native epoll transport is not available ({}); sockets use Java NIO",
                    cause == null ? "unknown reason" : cause.getMessage());
        }
    }

    /** Starts a broker; the future fails with the reason (port in use, unusable log dir, ...). */
    public static Future<Broker> start(BrokerConfig config) {
        BrokerMetrics metrics = new BrokerMetrics(config.nodeId());
        boolean clustered = HazelcastSettings.clustered(config);
        // Netty's native epoll transport where it is available (Linux x86-64), NIO elsewhere.
        VertxOptions options = new VertxOptions().setEventLoopPoolSize(config.numNetworkThreads())
                .setPreferNativeTransport(true)
                .setMetricsOptions(metrics.vertxOptions());
        MetadataStore store = new MetadataStore(config.logDirs().get(0));
        // Not bound to a Vert.x context: on failure it completes after Vert.x is closed, when no
        // context could run the caller's callbacks any more.
        Promise<Broker> started = Promise.promise();
        Future<Vertx> vertxReady;
        HazelcastClusterManager manager = null;
        if (clustered) {
            try {
                ClusterConfigs.checkNodeId(config);
                manager = new HazelcastClusterManager(HazelcastSettings.build(config));
            } catch (RuntimeException e) {
                metrics.close();
                return Future.failedFuture(e);
            }
            options.setEventBusOptions(new EventBusOptions()
                    .setHost((String) config.value(ClusterConfigDef.CLUSTER_HOST)).setPort(0));
            vertxReady = Vertx.builder().with(options).withMetrics(metrics.vertxFactory())
                    .withClusterManager(manager).buildClustered();
        } else {
            vertxReady = Future.succeededFuture(Vertx.builder().with(options).withMetrics(metrics.vertxFactory())
                    .build());
        }
        HazelcastClusterManager hazelcast = manager;
        vertxReady.onFailure(e -> {
            metrics.close();
            started.fail(new java.io.IOException("cannot join the cluster: " + e.getMessage(), e));
        }).onSuccess(vertx -> {
            logTransport(vertx);
            vertx.executeBlocking(() -> LogDirLock.acquire(config.logDirs()))
                    .compose(lock -> assemble(vertx, config, store, lock, metrics, hazelcast)
                            .onFailure(e -> lock.close()))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            started.complete(ar.result());
                        } else {
                            vertx.close().onComplete(closed -> {
                                metrics.close();
                                started.fail(ar.cause());
                            });
                        }
                    });
        });
        return started.future();
    }

    private static Future<Broker> assemble(Vertx vertx, BrokerConfig config, MetadataStore store, LogDirLock lock,
                                           BrokerMetrics metrics, HazelcastClusterManager hazelcast) {
        Clock clock = Clock.systemUTC();
        return PartitionOwners.create(vertx, config.numNetworkThreads()).compose(owners -> {
            Context metadataOwner = owners.get(0);
            PartitionRegistry partitions = new PartitionRegistry(owners, config.logDirs(), clock, metrics.registry());
            TopicRegistry topics = new TopicRegistry(metadataOwner, store, partitions, config.nodeId(),
                    overrides -> TopicConfigs.toLogConfig(overrides, config));
            ProducerIdAllocator producerIds = hazelcast == null ? new ProducerIdAllocator(metadataOwner, store)
                    : new ProducerIdAllocator(metadataOwner, store, ProducerIdAllocator.CLUSTER_STRIDE, config.nodeId());
            ControllerClient controllerClient = new ControllerClient(vertx);
            topics.connect(controllerClient);
            // This broker's topics as its disk had them, before the cluster's copy is applied over them.
            List<TopicInfo> localCopies = new ArrayList<>();
            return ClusterBootstrap.identity(vertx, config, store, hazelcast)
                    .compose(clusterId -> topics.load()
                            .compose(v -> {
                                localCopies.addAll(topics.image().topics());
                                return ClusterBootstrap.join(vertx, config, topics, hazelcast);
                            })
                            .compose(joined -> {
                                Controller controller = new Controller(vertx, metadataOwner, config,
                                        joined.membership(), joined.log(), TopicConfigs::validate);
                                ReplicaManager replicas = new ReplicaManager(vertx, metadataOwner, joined.membership(),
                                        partitions, topics, controllerClient,
                                        new ReplicaFetchers(vertx, metadataOwner, owners, joined.membership(), config),
                                        clock, (Long) config.value(ClusterConfigDef.REPLICA_LAG_TIME_MAX_MS),
                                        new ReplicationMetrics(metrics.registry(), partitions, topics::image));
                                replicas.start();
                                ClusterServices cluster = new ClusterServices(joined.membership(), controllerClient,
                                        controller, replicas);
                                return controller.start()
                                        .compose(v -> ClusterBootstrap.reportLocalCopies(config, joined.membership(),
                                                controllerClient, localCopies, topics))
                                        .compose(v -> ClusterBootstrap.awaitInitialMembers(vertx, config,
                                                joined.membership()))
                                        .map(v -> {
                                            GroupCoordinator groups = createGroups(vertx, config, topics, clock);
                                            TransactionCoordinator transactions = TransactionCoordinator.create(
                                                    vertx, config.nodeId(), TxnConfig.from(config), topics,
                                                    partitions, new CoordinatorRecordBatches(), producerIds, groups,
                                                    clock);
                                            followCoordinatorLeadership(replicas, groups, transactions);
                                            return new BrokerServices(vertx, config, clusterId, topics, partitions,
                                                    producerIds, clock, groups, transactions, metrics, cluster);
                                        })
                                        .compose(services -> clusterView(vertx, config, hazelcast,
                                                joined.membership())
                                                .map(view -> new Broker(vertx, config, lock, partitions, services,
                                                        view)));
                            }));
        }).compose(broker -> broker.listen().compose(v -> broker.announce()).compose(v -> broker.openCoordinators())
                .map(broker)
                .recover(e -> vertx.executeBlocking(() -> {
                    broker.partitions.closeAll();
                    return null;
                }).transform(ignored -> Future.failedFuture(e))));
    }

    /** The membership as the connector runtime sees it, with what each member offers besides Kafka. */
    private static Future<ClusterView> clusterView(Vertx vertx, BrokerConfig config, HazelcastClusterManager hazelcast,
                                                   Membership membership) {
        return hazelcast == null ? Future.succeededFuture(new SoloClusterView(config.nodeId()))
                : HazelcastClusterView.start(vertx, hazelcast.getHazelcastInstance(), membership);
    }

    /** Coordinator shards follow the leadership of their internal partitions (once the topics are open). */
    private static void followCoordinatorLeadership(ReplicaManager replicas, GroupCoordinator groups,
                                                    TransactionCoordinator transactions) {
        replicas.onLeadership(GroupCoordinator.OFFSETS_TOPIC, (partition, leader) -> {
            if (leader) {
                groups.elect(partition);
            } else {
                groups.resign(partition.topicPartition().partition());
            }
        });
        replicas.onLeadership(TransactionCoordinator.STATE_TOPIC, (partition, leader) -> {
            if (leader) {
                transactions.elect(partition);
            } else {
                transactions.resign(partition.topicPartition().partition());
            }
        });
    }

    /** Tells the other members where this broker's Kafka listeners are, once they are bound. */
    private Future<Void> announce() {
        List<Listener> endpoints = new ArrayList<>();
        for (Listener advertised : config.advertisedListeners()) {
            int port = advertised.port();
            if (port == 0) {
                port = bound.stream().filter(b -> b.name().equals(advertised.name())).findFirst()
                        .map(BoundListener::port).orElse(0);
            }
            endpoints.add(new Listener(advertised.name(), advertised.host(), port));
        }
        return services.cluster().membership().announce(new ClusterMember(config.nodeId(),
                (String) config.value(ClusterConfigDef.BROKER_RACK), endpoints));
    }

    private static GroupCoordinator createGroups(Vertx vertx, BrokerConfig config, TopicRegistry topics,
                                                 Clock clock) {
        GroupCoordinator groups = GroupCoordinator.create(vertx, GroupConfig.from(config), topics,
                new CoordinatorRecordBatches(), new ConsumerSubscriptions(), clock);
        topics.onDeleted(groups::onTopicDeleted);
        return groups;
    }

    /**
     * Creates __consumer_offsets and __transaction_state if needed and loads the coordinator shards this broker
     * leads. After the listeners bind, as in Kafka: until then clients are told COORDINATOR_NOT_AVAILABLE and
     * retry, while every other request is already served. Transactions after groups: transactions recovered
     * half-decided write their markers into __consumer_offsets too.
     */
    private Future<Void> openCoordinators() {
        Map<String, String> offsetsTopic = Map.of(
                TopicConfigs.CLEANUP_POLICY, TopicConfigs.CLEANUP_POLICY_COMPACT,
                TopicConfigs.SEGMENT_BYTES,
                String.valueOf(config.value(BrokerConfigDef.OFFSETS_TOPIC_SEGMENT_BYTES)));
        Map<String, String> stateTopic = Map.of(
                TopicConfigs.CLEANUP_POLICY, TopicConfigs.CLEANUP_POLICY_COMPACT,
                TopicConfigs.SEGMENT_BYTES,
                String.valueOf(config.value(BrokerConfigDef.TRANSACTION_STATE_LOG_SEGMENT_BYTES)));
        return services.groups().openTopic(services.topics(), partitions, offsetsTopic)
                .compose(v -> services.transactions().openTopic(services.topics(), partitions, stateTopic));
    }

    /** Binds every Kafka listener on every event loop. */
    private Future<Void> listen() {
        return vertx.executeBlocking(() -> BrokerSecurity.load(config, vertx)).compose(loaded -> {
            security = loaded;
            security.register();
            return listenAll();
        });
    }

    private Future<Void> listenAll() {
        KafkaRequestProcessor processor = new KafkaRequestProcessor(services, new HandlerRegistry());
        Future<Void> chain = Future.succeededFuture();
        for (Listener listener : config.listeners()) {
            chain = chain.compose(v -> listen(listener, processor));
        }
        return chain;
    }

    private Future<Void> listen(Listener listener, KafkaRequestProcessor processor) {
        int maxFrame = config.socketRequestMaxBytes();
        String host = listener.bindHost();
        // Vert.x shares a listening socket between servers with the same host and port; port 0 is
        // never shared, but a negative port means "one random port shared by every such server".
        // Each port-0 listener gets its own negative number, so that two of them never share a socket.
        int sharedPort = listener.port() == 0 ? -1 - config.listeners().indexOf(listener) : listener.port();
        ListenerProtocols.Protocol protocol = ListenerProtocols.kafka(config, listener.name());
        ConnectionLimits limits = new ConnectionLimits((Integer) config.value(SecurityConfigDef.MAX_CONNECTIONS_PER_IP),
                (Long) config.value(SecurityConfigDef.CONNECTIONS_MAX_IDLE_MS),
                (Integer) config.value(SecurityConfigDef.CONNECTIONS_MAX_INFLIGHT_REQUESTS));
        SocketBuffers buffers = config.socketBuffers();
        KafkaListenerVerticle first = new KafkaListenerVerticle(listener.name(), host, sharedPort, maxFrame, processor,
                security, protocol, limits).withSocketBuffers(buffers);
        return vertx.deployVerticle(first).compose(id -> {
            deployments.add(id);
            int port = first.actualPort();
            bound.add(new BoundListener(listener.name(), host, port));
            List<Future<String>> more = new ArrayList<>();
            for (int i = 1; i < config.numNetworkThreads(); i++) {
                more.add(vertx.deployVerticle(new KafkaListenerVerticle(listener.name(), host, sharedPort, maxFrame,
                                processor, security, protocol, limits).withSocketBuffers(buffers))
                        .onSuccess(deployments::add));
            }
            return Future.all(more).<Void>mapEmpty();
        }).recover(e -> ListenerBindException.failed(listener, e));
    }

    public List<BoundListener> boundListeners() {
        return List.copyOf(bound);
    }

    /** Users, credentials, ACLs and TLS settings shared by the Kafka listeners and the gateways. */
    public BrokerSecurity security() {
        return security;
    }

    public String clusterId() {
        return services.clusterId();
    }

    public BrokerApi api() {
        return api;
    }

    /** The Vert.x instance whose event loops run this broker; the gateways deploy on it too. */
    public Vertx vertx() {
        return vertx;
    }

    public BrokerServices services() {
        return services;
    }

    /** Background log maintenance (retention, compaction); tests trigger passes through it. */
    public LogManager logs() {
        return logs;
    }

    private Future<?> undeployListeners() {
        List<Future<Void>> undeploys = new ArrayList<>();
        for (String id : deployments) {
            undeploys.add(vertx.undeploy(id));
        }
        return Future.join(undeploys);
    }

    /** Stops accepting, answers in-flight requests, closes every log cleanly, then stops Vert.x. */
    public synchronized Future<Void> stop() {
        if (stopped) {
            return Future.succeededFuture();
        }
        stopped = true;
        lagMetrics.stop();
        loopDelay.stop();
        // Parked JoinGroup/SyncGroup requests are answered first, so connections drain at once.
        boolean controlled = (Boolean) config.value(ClusterConfigDef.CONTROLLED_SHUTDOWN_ENABLE);
        Future<Void> handOver = controlled ? ControlledShutdown.run(vertx, services.cluster(), partitions,
                (Long) config.value(ClusterConfigDef.CONTROLLED_SHUTDOWN_TIMEOUT_MS)) : Future.succeededFuture();
        return handOver.transform(ignored -> services.cluster().replicas().stop())
                .transform(ignored -> services.cluster().controllerRole().stop())
                .transform(ignored -> services.transactions().unload())
                .transform(ignored -> services.groups().unload())
                .transform(ignored -> undeployListeners())
                .transform(ignored -> logs.stop())
                .transform(ignored -> vertx.executeBlocking(() -> {
                    partitions.closeAll();
                    lock.close();
                    return null;
                }))
                .transform(ar -> {
                    if (ar.failed()) {
                        LOG.error("Broker did not stop cleanly", ar.cause());
                    }
                    return vertx.close().andThen(closed -> services.metrics().close());
                });
    }
}
