package io.tributary.core.protocol.replica;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.core.cluster.ClusterMember;
import io.tributary.core.cluster.Membership;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.config.Listener;
import io.tributary.core.network.FrameDecoder;
import io.tributary.core.partition.Partition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows one leader: a connection to its Kafka listener, and one Fetch request at a time for every partition
 * this broker follows there, as a Kafka follower does (replica id set, so the leader reads past the high watermark
 * and learns this follower's progress). Each partition's answer is applied by its {@link FollowedPartition} on the
 * partition's own context. The next fetch goes out as soon as the previous one is applied; the leader holds it
 * until there is data.
 */
final class ReplicaFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFetcher.class);
    private static final long BACKOFF_MS = 250;
    private static final long RESPONSE_GRACE_MS = 15_000;

    private final Vertx vertx;
    private final Context context;
    private final Membership membership;
    private final int leaderId;
    private final InterBrokerClient interBroker;
    private final int maxWaitMs;
    private final int maxBytes;
    private final NetClient client;
    private final Map<TopicPartition, FollowedPartition> followers = new LinkedHashMap<>();
    /** The follower state each partition of the fetch in flight was asked for with. */
    private final Map<TopicPartition, FollowedPartition> requested = new HashMap<>();
    private NetSocket socket;
    /** The response awaited: one request is in flight at a time (login, then fetches). */
    private Promise<Buffer> pending;
    private boolean fetching;
    private boolean stopped;
    private int correlationId;
    private long backoffTimer = -1;

    /** The last reason connecting or logging in to the leader failed, logged once when it changes. */
    private String lastConnectFailure;

    ReplicaFetcher(Vertx vertx, Context context, Membership membership, int leaderId, InterBrokerClient interBroker,
                   int maxWaitMs, int maxBytes) {
        this.interBroker = interBroker;
        this.vertx = vertx;
        this.context = context;
        this.membership = membership;
        this.leaderId = leaderId;
        this.maxWaitMs = maxWaitMs;
        this.maxBytes = maxBytes;
        this.client = vertx.createNetClient(new NetClientOptions(interBroker.options()));
    }

    /**
     * Follows {@code partition}. Following it already is a no-op: replacing its state while a fetch is in flight
     * would start the next fetch from a log end read before that fetch's records were appended.
     */
    void add(Partition partition) {
        context.runOnContext(x -> {
            FollowedPartition current = followers.get(partition.topicPartition());
            if (current != null && current.partition() == partition) {
                kick();
                return;
            }
            start(partition);
        });
    }

    private void start(Partition partition) {
        ContextHop.call(partition.owner(), () -> new long[]{partition.logEndOffset(), partition.latestEpoch()})
                .onComplete(ar -> context.runOnContext(v -> {
                    if (ar.failed() || stopped) {
                        return;
                    }
                    followers.put(partition.topicPartition(),
                            new FollowedPartition(partition, leaderId, ar.result()[0], (int) ar.result()[1]));
                    kick();
                }));
    }

    void remove(TopicPartition tp) {
        context.runOnContext(v -> followers.remove(tp));
    }

    Future<Void> stop() {
        return ContextHop.compose(context, () -> {
            stopped = true;
            followers.clear();
            closeSocket();
            return client.close();
        });
    }

    private void kick() {
        if (stopped || fetching || followers.isEmpty() || backoffTimer >= 0) {
            return;
        }
        fetching = true;
        connect().compose(this::fetch).compose(this::apply).onComplete(ar -> {
            fetching = false;
            if (ar.failed()) {
                LOG.debug("Fetch from leader {} failed: {}", leaderId, ar.cause().toString());
                closeSocket();
            }
            if (ar.failed() || !ar.result()) {
                backoffTimer = vertx.setTimer(BACKOFF_MS, id -> {
                    backoffTimer = -1;
                    kick();
                });
            } else {
                kick();
            }
        });
    }

    private Future<NetSocket> connect() {
        if (socket != null) {
            return Future.succeededFuture(socket);
        }
        ClusterMember leader = membership.members().get(leaderId);
        Listener endpoint = leader == null ? null : leader.endpoint(interBroker.listener());
        if (endpoint == null) {
            return Future.failedFuture("leader " + leaderId + " has no known endpoint");
        }
        return client.connect(endpoint.port(), endpoint.host()).onSuccess(s -> {
            socket = s;
            FrameDecoder decoder = FrameDecoder.attach(s, new FrameDecoder.Sink() {
                @Override
                public boolean acceptSize(int size) {
                    if (size > 0) {
                        return true;
                    }
                    LOG.warn("Leader {} sent a response size of {} bytes; reconnecting", leaderId, size);
                    if (socket == s) {
                        closeSocket();
                    } else {
                        s.close();
                    }
                    return false;
                }

                @Override
                public void frame(ByteBuf frame) {
                    // The records are appended on the partitions' own event loops after the request completes:
                    // a heap copy, whose lifetime the garbage collector tracks, rather than the pooled frame.
                    try {
                        onFrame(FrameDecoder.asBuffer(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(frame))));
                    } finally {
                        frame.release();
                    }
                }

                @Override
                public void outOfMemory(int size, OutOfMemoryError error) {
                    LOG.warn("No memory for a response of {} bytes from leader {}; reconnecting", size, leaderId);
                    if (socket == s) {
                        closeSocket();
                    } else {
                        s.close();
                    }
                }
            });
            s.closeHandler(v -> {
                decoder.close();
                if (socket == s) {
                    socket = null;
                    failPending("connection to leader " + leaderId + " closed");
                }
            });
            s.exceptionHandler(e -> LOG.debug("Connection to leader {} failed: {}", leaderId, e.toString()));
        }).compose(this::login).onComplete(ar -> {
            String failure = ar.failed() ? ar.cause().getMessage() : null;
            if (failure != null && !failure.equals(lastConnectFailure)) {
                LOG.warn("Cannot fetch from leader {} through listener {}: {}", leaderId, interBroker.listener(),
                        failure);
            } else if (failure == null && lastConnectFailure != null) {
                LOG.info("Fetching from leader {} again", leaderId);
            }
            lastConnectFailure = failure;
        });
    }

    /** Authenticates a new connection when the inter-broker listener uses SASL. */
    private Future<NetSocket> login(NetSocket s) {
        if (!interBroker.protocol().sasl()) {
            return Future.succeededFuture(s);
        }
        if (interBroker.missingCredentials() != null) {
            return Future.failedFuture(interBroker.missingCredentials());
        }
        return FollowerLogin.plain(frame -> roundTrip(s, frame, RESPONSE_GRACE_MS), () -> ++correlationId,
                clientId(), interBroker.username(), interBroker.password()).map(s);
    }

    private String clientId() {
        return "tributary-replica-" + membership.localId();
    }

    /** Sends one request and yields its response frame, failing after {@code timeoutMs}. */
    private Future<Buffer> roundTrip(NetSocket s, Buffer request, long timeoutMs) {
        pending = Promise.promise();
        Promise<Buffer> mine = pending;
        long timer = vertx.setTimer(timeoutMs, id -> mine.tryFail("no response from leader " + leaderId + " in time"));
        s.write(request);
        return mine.future().andThen(ar -> vertx.cancelTimer(timer));
    }

    private Future<FetchCodec.Response> fetch(NetSocket s) {
        Map<String, FetchTopic> topics = new LinkedHashMap<>();
        requested.clear();
        for (Map.Entry<TopicPartition, FollowedPartition> e : followers.entrySet()) {
            FollowedPartition f = e.getValue();
            requested.put(e.getKey(), f);
            topics.computeIfAbsent(e.getKey().topic(), t -> new FetchTopic().setTopic(t)).partitions().add(
                    new FetchPartition()
                            .setPartition(e.getKey().partition())
                            .setCurrentLeaderEpoch(f.partition().leaderEpoch())
                            .setFetchOffset(f.fetchOffset())
                            .setLastFetchedEpoch(f.lastFetchedEpoch())
                            .setLogStartOffset(-1)
                            .setPartitionMaxBytes(maxBytes));
        }
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(membership.localId())
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(1)
                .setMaxBytes(Math.max(maxBytes, 10 * 1024 * 1024))
                .setIsolationLevel((byte) 0)
                .setSessionId(0)
                .setSessionEpoch(-1)
                .setTopics(new ArrayList<>(topics.values()));
        return roundTrip(s, FetchCodec.encode(++correlationId, clientId(), request), maxWaitMs + RESPONSE_GRACE_MS)
                .map(FetchCodec::decode);
    }

    private void onFrame(Buffer frame) {
        Promise<Buffer> p = pending;
        pending = null;
        if (p != null) {
            p.tryComplete(frame);
        }
    }

    private void failPending(String reason) {
        Promise<Buffer> p = pending;
        pending = null;
        if (p != null) {
            p.tryFail(reason);
        }
    }

    private void closeSocket() {
        if (socket != null) {
            NetSocket s = socket;
            socket = null;
            s.close();
        }
        failPending("connection closed");
    }

    /** Applies a response; true when every partition went fine (fetch again at once), false to back off. */
    private Future<Boolean> apply(FetchCodec.Response response) {
        if (response.body().errorCode() != Errors.NONE.code()) {
            return Future.succeededFuture(false);
        }
        List<Future<Boolean>> applied = new ArrayList<>();
        Map<TopicPartition, FetchResponseData.PartitionData> byPartition = new HashMap<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.body().responses()) {
            for (FetchResponseData.PartitionData data : topic.partitions()) {
                byPartition.put(new TopicPartition(topic.topic(), data.partitionIndex()), data);
            }
        }
        for (Map.Entry<TopicPartition, FetchResponseData.PartitionData> e : byPartition.entrySet()) {
            FollowedPartition f = followers.get(e.getKey());
            // Only for the state the request was made with: a partition re-followed meanwhile fetches afresh.
            if (f != null && requested.get(e.getKey()) == f) {
                applied.add(f.apply(e.getValue()));
            }
        }
        return Future.all(applied).map(all -> {
            for (Future<Boolean> f : applied) {
                if (!f.result()) {
                    return false;
                }
            }
            return true;
        });
    }
}
