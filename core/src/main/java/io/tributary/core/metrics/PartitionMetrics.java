package io.tributary.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.List;

/** Bytes and records appended to and read from one partition; removed with the partition. */
public final class PartitionMetrics {

    /** For partitions opened without a registry (storage tools, tests of the partition alone). */
    public static final PartitionMetrics NONE = new PartitionMetrics();

    private final MeterRegistry registry;
    private final Counter bytesIn;
    private final Counter recordsIn;
    private final Counter bytesOut;
    private final Counter recordsOut;

    private PartitionMetrics() {
        this.registry = null;
        this.bytesIn = null;
        this.recordsIn = null;
        this.bytesOut = null;
        this.recordsOut = null;
    }

    public PartitionMetrics(MeterRegistry registry, String topic, int partition) {
        this.registry = registry;
        Tags tags = Tags.of("topic", topic, "partition", String.valueOf(partition));
        this.bytesIn = counter(registry, "tributary.partition.bytes.in", "Record batch bytes appended", tags);
        this.recordsIn = counter(registry, "tributary.partition.records.in", "Records appended", tags);
        this.bytesOut = counter(registry, "tributary.partition.bytes.out", "Record batch bytes read", tags);
        this.recordsOut = counter(registry, "tributary.partition.records.out", "Records read", tags);
    }

    public void appended(long bytes, long records) {
        if (registry != null) {
            bytesIn.increment(bytes);
            recordsIn.increment(records);
        }
    }

    public void read(long bytes, long records) {
        if (registry != null && bytes > 0) {
            bytesOut.increment(bytes);
            recordsOut.increment(records);
        }
    }

    public void remove() {
        if (registry != null) {
            for (Meter meter : List.of(bytesIn, recordsIn, bytesOut, recordsOut)) {
                registry.remove(meter);
            }
        }
    }

    private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
