package io.tributary.core.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ClusterConfigDef;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The Hazelcast config of a member: conf/cluster.xml (built in) plus what the broker's own config says. */
public final class HazelcastSettings {

    private static final String BASE = "/io/tributary/core/cluster/cluster.xml";

    private HazelcastSettings() {
    }

    /** True when the broker is to join a cluster (a member list or a Kubernetes service is configured). */
    public static boolean clustered(BrokerConfig config) {
        List<?> join = (List<?>) config.value(ClusterConfigDef.CLUSTER_JOIN);
        return !join.isEmpty() || config.value(ClusterConfigDef.CLUSTER_KUBERNETES_SERVICE_DNS) != null;
    }

    public static Config build(BrokerConfig config) {
        Config hz;
        try (InputStream in = HazelcastSettings.class.getResourceAsStream(BASE)) {
            if (in == null) {
                throw new IllegalStateException(BASE + " is missing from the class path");
            }
            hz = new XmlConfigBuilder(in).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        hz.setClusterName((String) config.value(ClusterConfigDef.CLUSTER_NAME));
        long failureMs = (Long) config.value(ClusterConfigDef.CLUSTER_FAILURE_DETECTION_MS);
        hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(Math.max(1, failureMs / 1000)));
        hz.getMemberAttributeConfig().setAttribute(HazelcastMembership.NODE_ID_ATTRIBUTE,
                String.valueOf(config.nodeId()));
        String rack = (String) config.value(ClusterConfigDef.BROKER_RACK);
        if (rack != null) {
            hz.getMemberAttributeConfig().setAttribute(HazelcastMembership.RACK_ATTRIBUTE, rack);
        }

        String host = (String) config.value(ClusterConfigDef.CLUSTER_HOST);
        NetworkConfig network = hz.getNetworkConfig();
        network.setPort((Integer) config.value(ClusterConfigDef.CLUSTER_PORT)).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
        network.setPublicAddress(host + ":" + config.value(ClusterConfigDef.CLUSTER_PORT));
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        String service = (String) config.value(ClusterConfigDef.CLUSTER_KUBERNETES_SERVICE_DNS);
        if (service != null) {
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", service);
        } else {
            @SuppressWarnings("unchecked")
            List<String> members = (List<String>) config.value(ClusterConfigDef.CLUSTER_JOIN);
            join.getTcpIpConfig().setEnabled(true).setMembers(members);
        }
        return hz;
    }
}
