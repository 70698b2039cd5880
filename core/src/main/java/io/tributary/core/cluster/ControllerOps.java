package io.tributary.core.cluster;

/** The requests the controller serves on the event bus, and their fields. */
final class ControllerOps {

    static final String ADDRESS = "tributary.controller";
    static final String OP = "op";

    static final String CREATE = "create";
    static final String DELETE = "delete";
    static final String ALTER_CONFIGS = "alterConfigs";
    static final String ADD_PARTITIONS = "addPartitions";
    static final String ALTER_ISR = "alterIsr";
    static final String REASSIGN = "reassign";
    static final String ELECT_PREFERRED = "electPreferred";
    static final String LIST_REASSIGNMENTS = "listReassignments";
    static final String DRAIN = "drain";
    static final String SEED = "seed";

    static final String NAME = "name";
    static final String PARTITIONS = "partitions";
    static final String PARTITION = "partition";
    static final String REPLICATION_FACTOR = "replicationFactor";
    static final String ASSIGNMENTS = "assignments";
    static final String CONFIGS = "configs";
    static final String VALIDATE_ONLY = "validateOnly";
    static final String LEADER_EPOCH = "leaderEpoch";
    static final String PARTITION_EPOCH = "partitionEpoch";
    static final String ISR = "isr";
    static final String LEADER = "leader";
    static final String REPLICAS = "replicas";
    static final String TOPIC = "topic";
    static final String TARGET = "target";
    static final String NODE = "node";
    static final String REMAINING = "remaining";
    static final String TOPICS = "topics";
    static final String STATE = "state";
    static final String DELETED = "deleted";

    /** Failure code of a refused ISR change: the leader's view is stale. */
    static final int FENCED = 1000;
    /** Failure code of a request that reached a member which has just stopped being the controller. */
    static final int NOT_CONTROLLER = 1001;

    private ControllerOps() {
    }
}
