package io.tributary.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.PartitionState;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;

import java.util.function.Supplier;

/**
 * Replication health as operators watch it: partitions this broker leads with fewer in-sync replicas than
 * replicas (under-replicated) or fewer than min.insync.replicas would need, partitions without a leader anywhere,
 * and how often this broker's ISRs shrank and grew.
 */
public final class ReplicationMetrics {

    private final Counter isrShrinks;
    private final Counter isrExpands;

    public ReplicationMetrics(MeterRegistry registry, PartitionRegistry partitions, Supplier<MetadataImage> image) {
        Gauge.builder("tributary.replication.under.replicated.partitions",
                        () -> partitions.all().stream().filter(ReplicationMetrics::underReplicated).count())
                .description("Partitions led by this broker whose ISR is smaller than their replica list")
                .register(registry);
        Gauge.builder("tributary.replication.leader.partitions",
                        () -> partitions.all().stream().filter(Partition::isLeader).count())
                .description("Partitions this broker leads")
                .register(registry);
        Gauge.builder("tributary.replication.offline.partitions", () -> offline(image.get()))
                .description("Partitions of the cluster without a live leader, as this broker knows them")
                .register(registry);
        this.isrShrinks = Counter.builder("tributary.replication.isr.shrinks")
                .description("Followers removed from the ISR of a partition this broker leads")
                .register(registry);
        this.isrExpands = Counter.builder("tributary.replication.isr.expands")
                .description("Followers added back to the ISR of a partition this broker leads")
                .register(registry);
    }

    public void isrChanged(int before, int after) {
        if (after < before) {
            isrShrinks.increment(before - after);
        } else if (after > before) {
            isrExpands.increment(after - before);
        }
    }

    private static boolean underReplicated(Partition partition) {
        PartitionState state = partition.state();
        return partition.isLeader() && state != null && state.isr().size() < state.replicas().size();
    }

    private static long offline(MetadataImage image) {
        long count = 0;
        for (TopicInfo topic : image.topics()) {
            for (PartitionState state : topic.partitions()) {
                if (!state.hasLeader()) {
                    count++;
                }
            }
        }
        return count;
    }
}
