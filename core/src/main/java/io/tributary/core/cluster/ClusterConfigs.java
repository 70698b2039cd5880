package io.tributary.core.cluster;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.BrokerConfigDef;
import io.tributary.core.config.ConfigException;
import io.tributary.core.producer.ProducerIdAllocator;

/** Checks on the config that only matter for a clustered broker. */
public final class ClusterConfigs {

    private ClusterConfigs() {
    }

    /** Producer ids are node-id residues, so clustered node ids must stay below the stride. */
    public static void checkNodeId(BrokerConfig config) {
        if (config.nodeId() >= ProducerIdAllocator.CLUSTER_STRIDE) {
            throw new ConfigException(BrokerConfigDef.NODE_ID, String.valueOf(config.nodeId()),
                    "must be below " + ProducerIdAllocator.CLUSTER_STRIDE + " in a cluster");
        }
    }
}
