package io.tributary.core.config;

import static io.tributary.core.config.ConfigDef.Importance.HIGH;
import static io.tributary.core.config.ConfigDef.Importance.LOW;
import static io.tributary.core.config.ConfigDef.Importance.MEDIUM;
import static io.tributary.core.config.ConfigDef.Type.BOOLEAN;
import static io.tributary.core.config.ConfigDef.Type.INT;
import static io.tributary.core.config.ConfigDef.Type.LIST;
import static io.tributary.core.config.ConfigDef.Type.LONG;
import static io.tributary.core.config.ConfigDef.Type.STRING;
import static io.tributary.core.config.Validator.atLeast;
import static io.tributary.core.config.Validator.between;
import static io.tributary.core.config.Validator.nonEmpty;

import java.util.List;

/**
 * Settings of clustering and replication: how a member finds the others (a TCP-IP list or Kubernetes DNS),
 * how fast a dead one is noticed, and how followers keep up with leaders. Kafka's names where Kafka has one.
 */
public final class ClusterConfigDef {

    public static final String CLUSTER_NAME = "cluster.name";
    public static final String CLUSTER_HOST = "cluster.host";
    public static final String CLUSTER_PORT = "cluster.port";
    public static final String CLUSTER_JOIN = "cluster.join";
    public static final String CLUSTER_KUBERNETES_SERVICE_DNS = "cluster.kubernetes.service.dns";
    public static final String CLUSTER_FAILURE_DETECTION_MS = "cluster.failure.detection.ms";
    public static final String BROKER_RACK = "broker.rack";
    public static final String REPLICA_LAG_TIME_MAX_MS = "replica.lag.time.max.ms";
    public static final String REPLICA_FETCH_WAIT_MAX_MS = "replica.fetch.wait.max.ms";
    public static final String REPLICA_FETCH_MAX_BYTES = "replica.fetch.max.bytes";
    public static final String CONTROLLED_SHUTDOWN_ENABLE = "controlled.shutdown.enable";
    public static final String CONTROLLED_SHUTDOWN_TIMEOUT_MS = "controlled.shutdown.timeout.ms";

    private ClusterConfigDef() {
    }

    static ConfigDef addTo(ConfigDef def) {
        return def
                .define(CLUSTER_NAME, STRING, "tributary", nonEmpty(), MEDIUM,
                        "Name of the cluster; members with another name never join this one.")
                .define(CLUSTER_HOST, STRING, "127.0.0.1", nonEmpty(), HIGH,
                        "Address this member binds its cluster port to and announces to the others (the pod IP"
                                + " on Kubernetes). Never 0.0.0.0.")
                .define(CLUSTER_PORT, INT, 5701, between(1, 65535), HIGH,
                        "Port of this member's cluster (Hazelcast) connection.")
                .define(CLUSTER_JOIN, LIST, List.of(), null, HIGH,
                        "Comma-separated host:port of cluster members to join. Empty, and no Kubernetes service"
                                + " set, means a standalone broker, which starts without any cluster machinery.")
                .define(CLUSTER_KUBERNETES_SERVICE_DNS, STRING, null, nonEmpty(), MEDIUM,
                        "DNS name of the headless Service whose pods form the cluster"
                                + " (SERVICE.NAMESPACE.svc.cluster.local); when set, members are discovered through it"
                                + " instead of cluster.join.")
                .define(CLUSTER_FAILURE_DETECTION_MS, LONG, 5000L, atLeast(1000), MEDIUM,
                        "A member silent for this long is declared dead and its partitions get new leaders.")
                .define(BROKER_RACK, STRING, null, nonEmpty(), LOW,
                        "Rack (or zone) of this broker; replicas of a partition are spread over racks.")
                .define(REPLICA_LAG_TIME_MAX_MS, LONG, 30000L, atLeast(1), HIGH,
                        "A follower that has not caught up with the leader's log end for this long leaves the ISR.")
                .define(REPLICA_FETCH_WAIT_MAX_MS, INT, 500, atLeast(0), LOW,
                        "Longest a follower's fetch waits at the leader for new records.")
                .define(REPLICA_FETCH_MAX_BYTES, INT, 1048576, atLeast(1), LOW,
                        "Bytes a follower asks for per partition and fetch (one batch is returned even if larger).")
                .define(CONTROLLED_SHUTDOWN_ENABLE, BOOLEAN, true, null, MEDIUM,
                        "On stop, move leadership of this member's partitions to other in-sync replicas first.")
                .define(CONTROLLED_SHUTDOWN_TIMEOUT_MS, LONG, 30000L, atLeast(0), LOW,
                        "Longest a controlled shutdown waits for leadership to move before stopping anyway.");
    }
}
