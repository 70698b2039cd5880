package io.tributary.core.cluster;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.TopicConfigs;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicInfoJson;
import io.tributary.core.metadata.TopicNames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one member that decides topic metadata: creates, deletes and alters topics, places replicas, elects leaders
 * from the in-sync replicas when brokers die, and accepts ISR changes from leaders only when they are based on the
 * current partition epoch. It runs on one context and keeps its own view of every topic, updated as it decides,
 * so consecutive decisions on one topic build on each other; the view is reloaded from the metadata log whenever
 * this member becomes controller.
 */
public final class Controller {

    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

    private final Vertx vertx;
    private final Context context;
    private final BrokerConfig config;
    private final Membership membership;
    private final MetadataLog log;
    private final Consumer<Map<String, String>> configValidator;
    private final Map<String, TopicInfo> view = new HashMap<>();
    private MessageConsumer<JsonObject> consumer;
    private boolean active;
    private boolean activating;
    private Future<Void> publishing = Future.succeededFuture();

    public Controller(Vertx vertx, Context context, BrokerConfig config, Membership membership, MetadataLog log,
                      Consumer<Map<String, String>> configValidator) {
        this.vertx = vertx;
        this.context = context;
        this.config = config;
        this.membership = membership;
        this.log = log;
        this.configValidator = configValidator;
    }

    /** Starts following membership: this member serves as controller whenever it is the oldest one. */
    public Future<Void> start() {
        membership.onChange(() -> context.runOnContext(v -> onMembershipChange()));
        return io.tributary.core.concurrent.ContextHop.compose(context, this::onMembershipChange);
    }

    public Future<Void> stop() {
        return io.tributary.core.concurrent.ContextHop.compose(context, () -> {
            active = false;
            return consumer == null ? Future.succeededFuture() : consumer.unregister();
        });
    }

    public boolean isActive() {
        return active;
    }

    private Future<Void> onMembershipChange() {
        if (membership.isController() && !active && !activating) {
            activating = true;
            return log.snapshot().compose(snapshot -> {
                view.clear();
                view.putAll(snapshot);
                consumer = vertx.eventBus().consumer(ControllerOps.ADDRESS, this::handle);
                return consumer.completion();
            }).onComplete(ar -> {
                activating = false;
                if (ar.succeeded()) {
                    active = true;
                    LOG.info("Node {} is the controller ({} topics)", membership.localId(), view.size());
                    reconcileAll();
                } else {
                    LOG.error("Could not take over as controller", ar.cause());
                }
            });
        }
        if (!membership.isController() && active) {
            active = false;
            LOG.info("Node {} is no longer the controller", membership.localId());
            return consumer.unregister();
        }
        if (active) {
            reconcileAll();
        }
        return Future.succeededFuture();
    }

    /** Re-elects leaders and trims ISRs of every partition against the live brokers. */
    private void reconcileAll() {
        Set<Integer> live = membership.members().keySet();
        for (TopicInfo topic : List.copyOf(view.values())) {
            boolean unclean = uncleanAllowed(topic);
            List<PartitionState> states = new ArrayList<>(topic.partitions());
            boolean changed = false;
            for (int p = 0; p < states.size(); p++) {
                PartitionState next = LeaderElection.reconcile(states.get(p), live, unclean);
                if (next != states.get(p)) {
                    LOG.info("{}-{}: leader {} epoch {} ISR {} (was leader {} ISR {})", topic.name(), p, next.leader(),
                            next.leaderEpoch(), next.isr(), states.get(p).leader(), states.get(p).isr());
                    states.set(p, next);
                    changed = true;
                }
            }
            if (changed) {
                publish(topic.withPartitions(states));
            }
        }
    }

    private boolean uncleanAllowed(TopicInfo topic) {
        String value = topic.configs().get(TopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE);
        return value != null ? Boolean.parseBoolean(value) : config.uncleanLeaderElectionEnable();
    }

    private Future<Void> publish(TopicInfo topic) {
        view.put(topic.name(), topic);
        publishing = publishing.transform(ignored -> log.publish(topic));
        return publishing;
    }

    private void handle(Message<JsonObject> message) {
        if (!active) {
            message.fail(ControllerOps.NOT_CONTROLLER, "not the controller");
            return;
        }
        JsonObject body = message.body();
        Future<JsonObject> result;
        try {
            result = switch (body.getString(ControllerOps.OP)) {
                case ControllerOps.CREATE -> create(body);
                case ControllerOps.DELETE -> delete(body.getString(ControllerOps.NAME));
                case ControllerOps.ALTER_CONFIGS -> alterConfigs(body);
                case ControllerOps.ADD_PARTITIONS -> addPartitions(body);
                case ControllerOps.ALTER_ISR -> alterIsr(body);
                case ControllerOps.REASSIGN -> reassign(body);
                case ControllerOps.ELECT_PREFERRED -> electPreferred(body);
                default -> Future.failedFuture(new IllegalArgumentException("unknown op " + body.getString("op")));
            };
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                message.reply(ar.result());
            } else if (ar.cause() instanceof TopicException e) {
                message.fail(e.reason().ordinal(), e.getMessage());
            } else if (ar.cause() instanceof ReplyException e) {
                message.fail(e.failureCode(), e.getMessage());
            } else {
                LOG.error("Controller request {} failed", body.getString(ControllerOps.OP), ar.cause());
                message.fail(TopicException.Reason.STORAGE_ERROR.ordinal(), String.valueOf(ar.cause().getMessage()));
            }
        });
    }

    private Future<JsonObject> create(JsonObject body) {
        String name = body.getString(ControllerOps.NAME);
        int partitions = body.getInteger(ControllerOps.PARTITIONS);
        Map<String, String> configs = strings(body.getJsonObject(ControllerOps.CONFIGS));
        TopicNames.validate(name);
        if (partitions < 1) {
            throw new TopicException(TopicException.Reason.INVALID_PARTITIONS,
                    "Number of partitions must be at least 1, was " + partitions);
        }
        validateConfigs(configs);
        if (view.containsKey(name)) {
            throw new TopicException(TopicException.Reason.ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        List<List<Integer>> replicas = body.containsKey(ControllerOps.ASSIGNMENTS)
                ? assignments(body.getJsonArray(ControllerOps.ASSIGNMENTS))
                : ReplicaPlacement.assign(name, 0, partitions,
                        replicationFactor(name, body.getInteger(ControllerOps.REPLICATION_FACTOR, -1)),
                        membership.members().values());
        List<PartitionState> states = new ArrayList<>();
        for (List<Integer> r : replicas) {
            states.add(new PartitionState(r, r.get(0), 0, r, 0));
        }
        TopicInfo topic = new TopicInfo(name, newTopicId(), states, configs);
        if (body.getBoolean(ControllerOps.VALIDATE_ONLY, false)) {
            return Future.succeededFuture(reply(topic));
        }
        LOG.info("Creating topic {} with {} partitions, replicas {}", name, partitions, replicas);
        return publish(topic).map(v -> reply(topic));
    }

    /** Explicit assignments (CreateTopics with replica lists) must name live brokers, each once per partition. */
    private List<List<Integer>> assignments(JsonArray array) {
        List<List<Integer>> result = new ArrayList<>();
        for (Object o : array) {
            List<Integer> replicas = new ArrayList<>();
            for (Object id : (JsonArray) o) {
                int nodeId = ((Number) id).intValue();
                if (!membership.isAlive(nodeId) || replicas.contains(nodeId)) {
                    throw new TopicException(TopicException.Reason.INVALID_REPLICATION_FACTOR,
                            "Replica assignment " + o + " names broker " + nodeId
                                    + (replicas.contains(nodeId) ? " twice" : ", which is not a live broker"));
                }
                replicas.add(nodeId);
            }
            if (replicas.isEmpty()) {
                throw new TopicException(TopicException.Reason.INVALID_REPLICATION_FACTOR,
                        "A replica assignment must name at least one broker");
            }
            result.add(replicas);
        }
        return result;
    }

    /** -1 means the default: default.replication.factor, and for internal topics 3 (capped by live brokers). */
    private int replicationFactor(String name, int requested) {
        if (requested > 0) {
            return requested;
        }
        if (requested != -1) {
            throw new TopicException(TopicException.Reason.INVALID_REPLICATION_FACTOR,
                    "Replication factor must be larger than 0, or -1 for the default.");
        }
        int live = membership.members().size();
        if (name.startsWith("__")) {
            return Math.max(1, Math.min(Math.max(3, config.defaultReplicationFactor()), live));
        }
        return config.defaultReplicationFactor();
    }

    private Future<JsonObject> delete(String name) {
        TopicInfo topic = existing(name);
        view.remove(name);
        publishing = publishing.transform(ignored -> log.remove(name));
        LOG.info("Deleting topic {}", name);
        return publishing.map(v -> reply(topic));
    }

    private Future<JsonObject> alterConfigs(JsonObject body) {
        TopicInfo topic = existing(body.getString(ControllerOps.NAME));
        Map<String, String> configs = strings(body.getJsonObject(ControllerOps.CONFIGS));
        validateConfigs(configs);
        TopicInfo altered = topic.withConfigs(configs);
        if (body.getBoolean(ControllerOps.VALIDATE_ONLY, false)) {
            return Future.succeededFuture(reply(altered));
        }
        return publish(altered).map(v -> reply(altered));
    }

    private Future<JsonObject> addPartitions(JsonObject body) {
        TopicInfo topic = existing(body.getString(ControllerOps.NAME));
        int count = body.getInteger(ControllerOps.PARTITIONS);
        if (count < topic.partitionCount()) {
            throw new TopicException(TopicException.Reason.INVALID_PARTITIONS, "Topic currently has "
                    + topic.partitionCount() + " partitions, which is higher than the requested " + count + ".");
        }
        if (count == topic.partitionCount()) {
            throw new TopicException(TopicException.Reason.INVALID_PARTITIONS,
                    "Topic already has " + count + " partitions.");
        }
        int rf = topic.partition(0).replicas().size();
        List<List<Integer>> replicas = body.containsKey(ControllerOps.ASSIGNMENTS)
                ? assignments(body.getJsonArray(ControllerOps.ASSIGNMENTS))
                : ReplicaPlacement.assign(topic.name(), topic.partitionCount(), count - topic.partitionCount(), rf,
                        membership.members().values());
        List<PartitionState> states = new ArrayList<>(topic.partitions());
        for (List<Integer> r : replicas) {
            states.add(new PartitionState(r, r.get(0), 0, r, 0));
        }
        TopicInfo grown = topic.withPartitions(states);
        if (body.getBoolean(ControllerOps.VALIDATE_ONLY, false)) {
            return Future.succeededFuture(reply(grown));
        }
        return publish(grown).map(v -> reply(grown));
    }

    /** A leader's ISR change, accepted only if it is based on the partition's current epochs. */
    private Future<JsonObject> alterIsr(JsonObject body) {
        TopicInfo topic = existing(body.getString(ControllerOps.NAME));
        int p = body.getInteger(ControllerOps.PARTITION);
        PartitionState current = topic.partition(p);
        if (current.leaderEpoch() != body.getInteger(ControllerOps.LEADER_EPOCH)
                || current.partitionEpoch() != body.getInteger(ControllerOps.PARTITION_EPOCH)) {
            return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ControllerOps.FENCED,
                    "stale partition state: epochs are now " + current.leaderEpoch() + "/" + current.partitionEpoch()));
        }
        List<Integer> isr = ints(body.getJsonArray(ControllerOps.ISR));
        Set<Integer> live = membership.members().keySet();
        // A broker the controller saw die stays out, whatever the leader thinks of it.
        isr.removeIf(id -> !live.contains(id) || !current.replicas().contains(id));
        if (!isr.contains(current.leader())) {
            isr.add(0, current.leader());
        }
        PartitionState next = current.withIsr(isr);
        LOG.info("{}-{}: ISR {} -> {} (leader {})", topic.name(), p, current.isr(), isr, current.leader());
        Future<Void> published = publish(topic.withPartition(p, next));
        tryCompleteReassignments();
        return published.map(v -> stateJson(next));
    }

    /**
     * Moves a partition to a new replica list: first the union of old and new (new replicas catch up as followers),
     * then, once every new replica is in the ISR, the new list with a leader from it (see {@link #tryCompleteReassignments}).
     */
    private Future<JsonObject> reassign(JsonObject body) {
        TopicInfo topic = existing(body.getString(ControllerOps.NAME));
        int p = body.getInteger(ControllerOps.PARTITION);
        List<Integer> target = ints(body.getJsonArray(ControllerOps.REPLICAS));
        PartitionState current = topic.partition(p);
        for (int id : target) {
            if (!membership.isAlive(id)) {
                throw new TopicException(TopicException.Reason.INVALID_REPLICATION_FACTOR,
                        "Broker " + id + " is not a live broker");
            }
        }
        List<Integer> union = new ArrayList<>(target);
        for (int id : current.replicas()) {
            if (!union.contains(id)) {
                union.add(id);
            }
        }
        reassignments.computeIfAbsent(topic.name(), n -> new HashMap<>()).put(String.valueOf(p), target);
        PartitionState widened = new PartitionState(union, current.leader(), current.leaderEpoch(), current.isr(),
                current.partitionEpoch() + 1);
        Future<Void> published = publish(topic.withPartition(p, widened));
        tryCompleteReassignments();
        return published.map(v -> stateJson(widened));
    }

    /** Reassignments in flight: topic -> partition -> target replicas. */
    private final Map<String, Map<String, List<Integer>>> reassignments = new HashMap<>();

    /** Called after every ISR change: finishes reassignments whose new replicas are all in sync. */
    private void tryCompleteReassignments() {
        for (var byTopic : reassignments.entrySet()) {
            TopicInfo topic = view.get(byTopic.getKey());
            if (topic == null) {
                continue;
            }
            boolean changed = false;
            for (var it = byTopic.getValue().entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                int p = Integer.parseInt(entry.getKey());
                PartitionState state = topic.partition(p);
                List<Integer> target = entry.getValue();
                if (!state.isr().containsAll(target)) {
                    continue;
                }
                List<Integer> isr = new ArrayList<>(target);
                int leader = target.contains(state.leader()) ? state.leader() : target.get(0);
                PartitionState done = leader == state.leader()
                        ? new PartitionState(target, leader, state.leaderEpoch(), isr, state.partitionEpoch() + 1)
                        : new PartitionState(target, leader, state.leaderEpoch() + 1, isr, state.partitionEpoch() + 1);
                topic = topic.withPartition(p, done);
                changed = true;
                it.remove();
                LOG.info("{}-{}: reassignment done, replicas {} leader {}", topic.name(), p, target, leader);
            }
            if (changed) {
                publish(topic);
            }
        }
        reassignments.values().removeIf(Map::isEmpty);
    }

    /** Moves leadership back to the preferred (first) replica where it is alive and in sync. */
    private Future<JsonObject> electPreferred(JsonObject body) {
        TopicInfo topic = existing(body.getString(ControllerOps.NAME));
        int p = body.getInteger(ControllerOps.PARTITION);
        PartitionState current = topic.partition(p);
        PartitionState next = LeaderElection.preferred(current, membership.members().keySet());
        if (next == current) {
            return Future.succeededFuture(stateJson(current));
        }
        return publish(topic.withPartition(p, next)).map(v -> stateJson(next));
    }

    private TopicInfo existing(String name) {
        TopicInfo topic = view.get(name);
        if (topic == null) {
            throw new TopicException(TopicException.Reason.UNKNOWN_TOPIC, "Topic '" + name + "' does not exist");
        }
        return topic;
    }

    private void validateConfigs(Map<String, String> configs) {
        try {
            configValidator.accept(configs);
        } catch (RuntimeException e) {
            throw new TopicException(TopicException.Reason.INVALID_CONFIG, e.getMessage(), e);
        }
    }

    private Uuid newTopicId() {
        Set<Uuid> used = new HashSet<>();
        view.values().forEach(t -> used.add(t.id()));
        Uuid id;
        do {
            id = Uuid.randomUuid();
        } while (used.contains(id));
        return id;
    }

    private static JsonObject reply(TopicInfo topic) {
        return new JsonObject().put(ControllerOps.TOPIC, TopicInfoJson.encode(topic));
    }

    private static JsonObject stateJson(PartitionState state) {
        return new JsonObject()
                .put(ControllerOps.REPLICAS, new JsonArray(state.replicas()))
                .put("leader", state.leader())
                .put(ControllerOps.LEADER_EPOCH, state.leaderEpoch())
                .put(ControllerOps.ISR, new JsonArray(state.isr()))
                .put(ControllerOps.PARTITION_EPOCH, state.partitionEpoch());
    }

    static PartitionState stateFromJson(JsonObject json) {
        return new PartitionState(ints(json.getJsonArray(ControllerOps.REPLICAS)), json.getInteger("leader"),
                json.getInteger(ControllerOps.LEADER_EPOCH), ints(json.getJsonArray(ControllerOps.ISR)),
                json.getInteger(ControllerOps.PARTITION_EPOCH));
    }

    private static List<Integer> ints(JsonArray array) {
        List<Integer> list = new ArrayList<>();
        for (Object o : array) {
            list.add(((Number) o).intValue());
        }
        return list;
    }

    private static Map<String, String> strings(JsonObject json) {
        Map<String, String> map = new HashMap<>();
        if (json != null) {
            json.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
        }
        return map;
    }
}
