package io.tributary.core.cluster;

import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.TopicConfigs;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicInfoJson;
import io.tributary.core.metadata.TopicNames;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
    private static final long PUBLISH_RETRY_MAX_MS = 5_000;
    private static final long PUBLISH_SLOW_MS = 10_000;

    private final Vertx vertx;
    private final Context context;
    private final BrokerConfig config;
    private final Membership membership;
    private final MetadataLog log;
    private final Consumer<Map<String, String>> configValidator;
    private final Map<String, TopicInfo> view = new HashMap<>();
    /** Ids of every deleted topic: a member's copy of one is never adopted again. */
    private final Set<Uuid> deleted = new HashSet<>();
    /** Brokers shutting down in a controlled way: they lead nothing and stay out of every ISR until they leave. */
    private final Set<Integer> draining = new HashSet<>();
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
            return log.snapshot().compose(snapshot -> log.tombstones().map(tombstones -> {
                view.clear();
                view.putAll(snapshot);
                deleted.clear();
                deleted.addAll(tombstones);
                return null;
            })).compose(v -> {
                consumer = vertx.eventBus().consumer(ControllerOps.ADDRESS, this::handle);
                return consumer.completion();
            }).onComplete(ar -> {
                activating = false;
                if (ar.succeeded()) {
                    active = true;
                    LOG.info("Node {} is the controller ({} topics)", membership.localId(), view.size());
                    reconcileAll();
                    tryCompleteReassignments();
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
            draining.retainAll(membership.members().keySet());
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
        publishing = publishing.transform(ignored -> publishUntilStored(topic, 0));
        return publishing;
    }

    /**
     * Writes {@code topic} to the metadata log, again after a failure (a write can fail while a member leaves the
     * cluster): the view already holds the decision, and nothing else would ever publish it, so members would keep
     * the old leaders. Stops once this member is no longer the controller or a later state of the topic is queued.
     */
    private Future<Void> publishUntilStored(TopicInfo topic, int attempt) {
        // Said, not acted on: a second write racing a late first one could leave the older state in the log.
        long slow = vertx.setTimer(PUBLISH_SLOW_MS, id -> LOG.warn("Publishing the metadata of {} has not completed "
                + "in {} ms; later metadata changes wait for it", topic.name(), PUBLISH_SLOW_MS));
        // The log's future may complete on a Hazelcast thread: decide on this controller's own context.
        Future<Void> written = log.publish(topic).andThen(ar -> vertx.cancelTimer(slow));
        return written.recover(e -> ContextHop.compose(context, () -> {
            if (!active || view.get(topic.name()) != topic) {
                return Future.failedFuture(e);
            }
            long delayMs = Math.min(PUBLISH_RETRY_MAX_MS, 100L << Math.min(attempt, 6));
            LOG.warn("Publishing the metadata of {} failed ({}); retrying in {} ms", topic.name(), e.toString(),
                    delayMs);
            Promise<Void> retried = Promise.promise();
            vertx.setTimer(delayMs, id -> publishUntilStored(topic, attempt + 1).onComplete(retried));
            return retried.future();
        }));
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
                case ControllerOps.LIST_REASSIGNMENTS -> listReassignments();
                case ControllerOps.DRAIN -> drain(body.getInteger(ControllerOps.NODE));
                case ControllerOps.SEED -> seed(body);
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
        Map<String, String> configs = ControllerJson.strings(body.getJsonObject(ControllerOps.CONFIGS));
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
            return Future.succeededFuture(ControllerJson.reply(topic));
        }
        LOG.info("Creating topic {} with {} partitions, replicas {}", name, partitions, replicas);
        return publish(topic).map(v -> ControllerJson.reply(topic));
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
        deleted.add(topic.id());
        publishing = publishing.transform(ignored -> log.tombstone(topic.id(), name))
                .transform(ignored -> log.remove(name));
        LOG.info("Deleting topic {}", name);
        return publishing.map(v -> ControllerJson.reply(topic));
    }

    private Future<JsonObject> alterConfigs(JsonObject body) {
        TopicInfo topic = existing(body.getString(ControllerOps.NAME));
        Map<String, String> configs = ControllerJson.strings(body.getJsonObject(ControllerOps.CONFIGS));
        validateConfigs(configs);
        TopicInfo altered = topic.withConfigs(configs);
        if (body.getBoolean(ControllerOps.VALIDATE_ONLY, false)) {
            return Future.succeededFuture(ControllerJson.reply(altered));
        }
        return publish(altered).map(v -> ControllerJson.reply(altered));
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
            return Future.succeededFuture(ControllerJson.reply(grown));
        }
        return publish(grown).map(v -> ControllerJson.reply(grown));
    }

    /**
     * A member's own copy of the topics, reported when it starts: topics this view lacks are adopted, and so are
     * partition states later than this view's (see {@link MetadataMerge}), then brought in line with the live
     * brokers. After a full-cluster restart the first member up seeds the view with what it had; the members that
     * stopped after it bring the later decisions back this way.
     */
    private Future<JsonObject> seed(JsonObject body) {
        int from = body.getInteger(ControllerOps.NODE);
        learnDeletions(body.getJsonArray(ControllerOps.DELETED, new JsonArray()));
        Set<Integer> live = membership.members().keySet();
        for (Object encoded : body.getJsonArray(ControllerOps.TOPICS)) {
            TopicInfo reported = TopicInfoJson.decode((String) encoded);
            if (deleted.contains(reported.id())) {
                continue;
            }
            TopicInfo current = view.get(reported.name());
            TopicInfo merged = current == null ? reported : MetadataMerge.newer(current, reported);
            if (merged == current) {
                continue;
            }
            LOG.info("Adopting node {}'s later metadata of topic {}", from, reported.name());
            boolean unclean = uncleanAllowed(merged);
            List<PartitionState> states = new ArrayList<>(merged.partitions());
            states.replaceAll(state -> LeaderElection.reconcile(state, live, unclean));
            publish(merged.withPartitions(states));
        }
        tryCompleteReassignments();
        JsonArray allDeleted = new JsonArray();
        deleted.forEach(id -> allDeleted.add(id.toString()));
        return publishing.map(v -> new JsonObject().put(ControllerOps.DELETED, allDeleted));
    }

    /**
     * Deletions a member saw that this view may not know (after a full-cluster restart the map of deleted ids
     * starts empty): recorded again, and a topic still in the view under a deleted id is deleted.
     */
    private void learnDeletions(JsonArray ids) {
        for (Object o : ids) {
            Uuid id = Uuid.fromString((String) o);
            if (!deleted.add(id)) {
                continue;
            }
            TopicInfo zombie = view.values().stream().filter(t -> t.id().equals(id)).findFirst().orElse(null);
            String name = zombie == null ? "" : zombie.name();
            publishing = publishing.transform(ignored -> log.tombstone(id, name));
            if (zombie != null) {
                LOG.info("Topic {} (id {}) was deleted while a member that kept it was away; deleting it again",
                        name, id);
                view.remove(name);
                publishing = publishing.transform(ignored -> log.remove(name));
            }
        }
    }

    /**
     * A leader's ISR change, accepted only if it is based on the partition's current epochs. A leader holding a
     * later state than this view (one this controller never saw published) brings it along, and it is adopted.
     */
    private Future<JsonObject> alterIsr(JsonObject body) {
        TopicInfo topic = adoptLeaderState(existing(body.getString(ControllerOps.NAME)),
                body.getInteger(ControllerOps.PARTITION), body.getJsonObject(ControllerOps.STATE));
        int p = body.getInteger(ControllerOps.PARTITION);
        PartitionState current = topic.partition(p);
        if (current.leaderEpoch() != body.getInteger(ControllerOps.LEADER_EPOCH)
                || current.partitionEpoch() != body.getInteger(ControllerOps.PARTITION_EPOCH)) {
            return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, ControllerOps.FENCED,
                    "stale partition state: epochs are now " + current.leaderEpoch() + "/" + current.partitionEpoch()));
        }
        List<Integer> isr = ControllerJson.ints(body.getJsonArray(ControllerOps.ISR));
        Set<Integer> live = membership.members().keySet();
        // A broker the controller saw die (or shutting down) stays out, whatever the leader thinks of it.
        isr.removeIf(id -> !live.contains(id) || !current.replicas().contains(id) || draining.contains(id));
        if (!isr.contains(current.leader())) {
            isr.add(0, current.leader());
        }
        PartitionState next = current.withIsr(isr);
        LOG.info("{}-{}: ISR {} -> {} (leader {})", topic.name(), p, current.isr(), isr, current.leader());
        Future<Void> published = publish(topic.withPartition(p, next));
        tryCompleteReassignments();
        return published.map(v -> ControllerJson.state(next));
    }

    /** The topic with the leader's state of partition {@code p} where it is later than this view's (published). */
    private TopicInfo adoptLeaderState(TopicInfo topic, int p, JsonObject leaderState) {
        if (leaderState == null || p < 0 || p >= topic.partitionCount()) {
            return topic;
        }
        PartitionState current = topic.partition(p);
        PartitionState adopted = MetadataMerge.newer(current, ControllerJson.stateFrom(leaderState));
        if (adopted == current) {
            return topic;
        }
        LOG.warn("{}-{}: the leader holds a later state (epochs {}/{}) than this controller ({}/{}); adopting it",
                topic.name(), p, adopted.leaderEpoch(), adopted.partitionEpoch(), current.leaderEpoch(),
                current.partitionEpoch());
        TopicInfo updated = topic.withPartition(p, adopted);
        publish(updated);
        return updated;
    }

    /**
     * Moves a partition to a new replica list: first the union of old and new, with the target recorded in the
     * partition state (so a new controller carries on), while the new replicas catch up as followers; then, once
     * every new replica is in the ISR, the new list with a leader from it (see {@link #tryCompleteReassignments}).
     * An empty target cancels a reassignment in progress: the partition goes back to its original replicas.
     */
    private Future<JsonObject> reassign(JsonObject body) {
        TopicInfo topic = existing(body.getString(ControllerOps.NAME));
        int p = body.getInteger(ControllerOps.PARTITION);
        if (p < 0 || p >= topic.partitionCount()) {
            throw new TopicException(TopicException.Reason.INVALID_PARTITIONS, "Partition " + p + " of "
                    + topic.name() + " does not exist");
        }
        List<Integer> target = ControllerJson.ints(body.getJsonArray(ControllerOps.REPLICAS));
        PartitionState current = topic.partition(p);
        PartitionState next;
        if (target.isEmpty()) {
            if (!current.isReassigning()) {
                throw new TopicException(TopicException.Reason.INVALID_PARTITIONS, "No reassignment in progress for "
                        + topic.name() + "-" + p);
            }
            next = Reassignments.finish(current, Reassignments.original(current));
        } else {
            for (int id : target) {
                if (!membership.isAlive(id)) {
                    throw new TopicException(TopicException.Reason.INVALID_REPLICATION_FACTOR,
                            "Broker " + id + " is not a live broker");
                }
            }
            next = Reassignments.start(current, target);
        }
        Future<Void> published = publish(topic.withPartition(p, next));
        tryCompleteReassignments();
        return published.map(v -> ControllerJson.state(next));
    }

    /** Finishes the reassignments whose new replicas are all in sync (after every ISR change and takeover). */
    private void tryCompleteReassignments() {
        for (TopicInfo topic : List.copyOf(view.values())) {
            TopicInfo updated = topic;
            for (int p = 0; p < topic.partitionCount(); p++) {
                PartitionState state = topic.partition(p);
                if (state.isReassigning() && state.isr().containsAll(state.targetReplicas())) {
                    PartitionState done = Reassignments.finish(state, state.targetReplicas());
                    LOG.info("{}-{}: reassignment done, replicas {} leader {}", topic.name(), p, done.replicas(),
                            done.leader());
                    updated = updated.withPartition(p, done);
                }
            }
            if (updated != topic) {
                publish(updated);
            }
        }
    }

    /** Every partition being reassigned: its target replicas. */
    private Future<JsonObject> listReassignments() {
        JsonObject result = new JsonObject();
        for (TopicInfo topic : view.values()) {
            for (int p = 0; p < topic.partitionCount(); p++) {
                PartitionState state = topic.partition(p);
                if (state.isReassigning()) {
                    result.put(topic.name() + "/" + p, ControllerJson.state(state));
                }
            }
        }
        return Future.succeededFuture(result);
    }

    /**
     * Controlled shutdown of {@code node}: every partition it leads gets another in-sync leader where one exists,
     * and it leaves every ISR, so its stop costs clients only a metadata refresh. Answers how many partitions it
     * still leads (those without another in-sync replica).
     */
    private Future<JsonObject> drain(int node) {
        draining.add(node);
        int stillLeading = 0;
        for (TopicInfo topic : List.copyOf(view.values())) {
            TopicInfo updated = topic;
            for (int p = 0; p < topic.partitionCount(); p++) {
                PartitionState state = topic.partition(p);
                List<Integer> isr = state.isrWithout(node);
                if (state.leader() == node) {
                    int successor = isr.stream().filter(id -> id != node && membership.isAlive(id)).findFirst()
                            .orElse(PartitionState.NO_LEADER);
                    if (successor == PartitionState.NO_LEADER) {
                        stillLeading++;
                        continue;
                    }
                    updated = updated.withPartition(p, state.withLeader(successor, isr));
                } else if (!isr.equals(state.isr())) {
                    updated = updated.withPartition(p, state.withIsr(isr));
                }
            }
            if (updated != topic) {
                publish(updated);
            }
        }
        LOG.info("Node {} is shutting down: leadership moved away ({} partitions have no other in-sync replica)",
                node, stillLeading);
        int remaining = stillLeading;
        return publishing.map(v -> new JsonObject().put(ControllerOps.REMAINING, remaining));
    }

    /** Moves leadership back to the preferred (first) replica where it is alive and in sync. */
    private Future<JsonObject> electPreferred(JsonObject body) {
        TopicInfo topic = existing(body.getString(ControllerOps.NAME));
        int p = body.getInteger(ControllerOps.PARTITION);
        PartitionState current = topic.partition(p);
        PartitionState next = LeaderElection.preferred(current, membership.members().keySet());
        if (next == current) {
            return Future.succeededFuture(ControllerJson.state(current));
        }
        return publish(topic.withPartition(p, next)).map(v -> ControllerJson.state(next));
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
}
