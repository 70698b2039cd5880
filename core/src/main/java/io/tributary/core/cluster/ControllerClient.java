package io.tributary.core.cluster;

import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicInfoJson;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.common.Uuid;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Asks the controller, wherever it runs, for a metadata change. While controllership moves (no handler yet, or
 * a request timed out) the request is retried until its deadline.
 */
public final class ControllerClient {

    private static final long REQUEST_TIMEOUT_MS = 10_000;
    private static final long DEADLINE_MS = 30_000;
    private static final long RETRY_MS = 200;

    private final Vertx vertx;

    public ControllerClient(Vertx vertx) {
        this.vertx = vertx;
    }

    public Future<TopicInfo> create(String name, int partitions, int replicationFactor, List<List<Integer>> assignments,
                                    Map<String, String> configs, boolean validateOnly) {
        JsonObject body = op(ControllerOps.CREATE, name)
                .put(ControllerOps.PARTITIONS, partitions)
                .put(ControllerOps.REPLICATION_FACTOR, replicationFactor)
                .put(ControllerOps.CONFIGS, new JsonObject(Map.copyOf(configs)))
                .put(ControllerOps.VALIDATE_ONLY, validateOnly);
        if (assignments != null) {
            body.put(ControllerOps.ASSIGNMENTS, new JsonArray(assignments.stream().map(JsonArray::new).toList()));
        }
        return topic(body);
    }

    public Future<TopicInfo> delete(String name) {
        return topic(op(ControllerOps.DELETE, name));
    }

    public Future<TopicInfo> alterConfigs(String name, Map<String, String> configs, boolean validateOnly) {
        return topic(op(ControllerOps.ALTER_CONFIGS, name)
                .put(ControllerOps.CONFIGS, new JsonObject(Map.copyOf(configs)))
                .put(ControllerOps.VALIDATE_ONLY, validateOnly));
    }

    public Future<TopicInfo> addPartitions(String name, int count, List<List<Integer>> assignments,
                                           boolean validateOnly) {
        JsonObject body = op(ControllerOps.ADD_PARTITIONS, name)
                .put(ControllerOps.PARTITIONS, count)
                .put(ControllerOps.VALIDATE_ONLY, validateOnly);
        if (assignments != null) {
            body.put(ControllerOps.ASSIGNMENTS, new JsonArray(assignments.stream().map(JsonArray::new).toList()));
        }
        return topic(body);
    }

    /** A leader's ISR change; fails with {@link #isFenced} when the leader's view of the partition is stale. */
    public Future<PartitionState> alterIsr(String name, int partition, PartitionState basedOn, List<Integer> isr) {
        return request(op(ControllerOps.ALTER_ISR, name)
                .put(ControllerOps.PARTITION, partition)
                .put(ControllerOps.LEADER_EPOCH, basedOn.leaderEpoch())
                .put(ControllerOps.PARTITION_EPOCH, basedOn.partitionEpoch())
                .put(ControllerOps.ISR, new JsonArray(isr))
                .put(ControllerOps.STATE, ControllerJson.state(basedOn)))
                .map(ControllerJson::stateFrom);
    }

    /**
     * Reports this member's own copy of the topics and the ids of the topics it saw deleted, so the controller
     * adopts what it lacks or has older; answers the ids of every topic deleted in the cluster.
     */
    public Future<Set<Uuid>> seed(int nodeId, Collection<TopicInfo> topics, Set<Uuid> deletedIds) {
        JsonArray encoded = new JsonArray();
        topics.forEach(t -> encoded.add(TopicInfoJson.encode(t)));
        JsonArray deleted = new JsonArray();
        deletedIds.forEach(id -> deleted.add(id.toString()));
        return request(new JsonObject().put(ControllerOps.OP, ControllerOps.SEED).put(ControllerOps.NODE, nodeId)
                .put(ControllerOps.TOPICS, encoded).put(ControllerOps.DELETED, deleted)).map(reply -> {
                    Set<Uuid> all = new HashSet<>();
                    reply.getJsonArray(ControllerOps.DELETED, new JsonArray())
                            .forEach(id -> all.add(Uuid.fromString((String) id)));
                    return all;
                });
    }

    public Future<PartitionState> reassign(String name, int partition, List<Integer> replicas) {
        return request(op(ControllerOps.REASSIGN, name)
                .put(ControllerOps.PARTITION, partition)
                .put(ControllerOps.REPLICAS, new JsonArray(replicas)))
                .map(ControllerJson::stateFrom);
    }

    /** Partitions being reassigned ("topic/partition"), with their current state (replicas and target). */
    public Future<Map<String, PartitionState>> listReassignments() {
        return request(new JsonObject().put(ControllerOps.OP, ControllerOps.LIST_REASSIGNMENTS)).map(reply -> {
            Map<String, PartitionState> result = new java.util.HashMap<>();
            reply.forEach(e -> result.put(e.getKey(), ControllerJson.stateFrom((JsonObject) e.getValue())));
            return result;
        });
    }

    /** Controlled shutdown: moves leadership away from {@code nodeId}; answers how many partitions it still leads. */
    public Future<Integer> drain(int nodeId) {
        return request(new JsonObject().put(ControllerOps.OP, ControllerOps.DRAIN).put(ControllerOps.NODE, nodeId))
                .map(reply -> reply.getInteger(ControllerOps.REMAINING));
    }

    public Future<PartitionState> electPreferred(String name, int partition) {
        return request(op(ControllerOps.ELECT_PREFERRED, name).put(ControllerOps.PARTITION, partition))
                .map(ControllerJson::stateFrom);
    }

    public static boolean isFenced(Throwable e) {
        return e instanceof ReplyException r && r.failureCode() == ControllerOps.FENCED;
    }

    private static JsonObject op(String op, String name) {
        return new JsonObject().put(ControllerOps.OP, op).put(ControllerOps.NAME, name);
    }

    private Future<TopicInfo> topic(JsonObject body) {
        return request(body).map(reply -> TopicInfoJson.decode(reply.getString(ControllerOps.TOPIC)));
    }

    private Future<JsonObject> request(JsonObject body) {
        Promise<JsonObject> result = Promise.promise();
        attempt(body, System.currentTimeMillis() + DEADLINE_MS, result);
        return result.future();
    }

    private void attempt(JsonObject body, long deadline, Promise<JsonObject> result) {
        vertx.eventBus().<JsonObject>request(ControllerOps.ADDRESS, body,
                        new DeliveryOptions().setSendTimeout(REQUEST_TIMEOUT_MS))
                .onSuccess(reply -> result.complete(reply.body()))
                .onFailure(e -> {
                    boolean retriable = e instanceof ReplyException r && (r.failureType() == ReplyFailure.NO_HANDLERS
                            || r.failureType() == ReplyFailure.TIMEOUT
                            || r.failureCode() == ControllerOps.NOT_CONTROLLER);
                    if (retriable && System.currentTimeMillis() < deadline) {
                        vertx.setTimer(RETRY_MS, id -> attempt(body, deadline, result));
                    } else {
                        result.fail(translate(e));
                    }
                });
    }

    private static Throwable translate(Throwable e) {
        if (e instanceof ReplyException r && r.failureType() == ReplyFailure.RECIPIENT_FAILURE
                && r.failureCode() >= 0 && r.failureCode() < TopicException.Reason.values().length) {
            return new TopicException(TopicException.Reason.values()[r.failureCode()], r.getMessage());
        }
        if (e instanceof ReplyException r && r.failureCode() == ControllerOps.FENCED) {
            return e;
        }
        return new TopicException(TopicException.Reason.STORAGE_ERROR, "The controller did not answer: "
                + e.getMessage(), e);
    }
}
