package io.tributary.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.group.AdminMessages.GroupListing;
import io.tributary.core.group.GroupCoordinator;
import io.tributary.core.group.GroupError;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.partition.Partition;
import io.tributary.core.partition.PartitionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Consumer group lag per partition (high watermark minus committed offset), sampled periodically on one
 * context rather than at scrape time, so a scrape never waits on the coordinator or partition loops.
 */
public final class ConsumerLagMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerLagMetrics.class);

    private final Context context;
    private final GroupCoordinator groups;
    private final PartitionRegistry partitions;
    private final long intervalMs;
    private final MultiGauge lag;
    private long timer = -1;
    private boolean sampling;

    public ConsumerLagMetrics(MeterRegistry registry, Context context, GroupCoordinator groups,
                              PartitionRegistry partitions, long intervalMs) {
        this.context = context;
        this.groups = groups;
        this.partitions = partitions;
        this.intervalMs = intervalMs;
        this.lag = MultiGauge.builder("tributary.consumer.group.lag")
                .description("Records between a group's committed offset and the partition's high watermark")
                .baseUnit("records")
                .register(registry);
    }

    public void start() {
        context.runOnContext(v -> timer = context.owner().setPeriodic(0, intervalMs, id -> sample()));
    }

    public void stop() {
        context.runOnContext(v -> {
            if (timer >= 0) {
                context.owner().cancelTimer(timer);
            }
        });
    }

    private void sample() {
        if (sampling) {
            return; // the previous sample is still collecting
        }
        sampling = true;
        groups.listGroups(Set.of(), Set.of())
                .compose(this::lagOf)
                .onComplete(ar -> {
                    sampling = false;
                    if (ar.succeeded()) {
                        lag.register(ar.result(), true);
                    } else {
                        LOG.debug("Consumer lag sample failed", ar.cause());
                    }
                });
    }

    private Future<List<MultiGauge.Row<?>>> lagOf(List<GroupListing> listings) {
        List<Future<List<MultiGauge.Row<?>>>> perGroup = new ArrayList<>();
        for (GroupListing listing : listings) {
            String group = listing.groupId();
            perGroup.add(groups.fetchOffsets(new FetchRequest(group, null, -1, null)).compose(result -> {
                if (result.error() != GroupError.NONE) {
                    return Future.succeededFuture(List.of());
                }
                List<Future<MultiGauge.Row<?>>> rows = new ArrayList<>();
                result.offsets().forEach((tp, committed) -> {
                    Partition partition = partitions.get(tp);
                    if (partition != null) {
                        rows.add(ContextHop.call(partition.owner(), partition::highWatermark)
                                .map(end -> row(group, tp, Math.max(0, end - committed.offset()))));
                    }
                });
                return Future.all(rows).map(all -> {
                    List<MultiGauge.Row<?>> list = new ArrayList<>();
                    for (int i = 0; i < rows.size(); i++) {
                        list.add(all.resultAt(i));
                    }
                    return list;
                });
            }));
        }
        return Future.all(perGroup).map(all -> {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (int i = 0; i < perGroup.size(); i++) {
                rows.addAll(all.<List<MultiGauge.Row<?>>>resultAt(i));
            }
            return rows;
        });
    }

    private static MultiGauge.Row<?> row(String group, TopicPartition tp, long value) {
        return MultiGauge.Row.of(Tags.of("group", group, "topic", tp.topic(), "partition",
                String.valueOf(tp.partition())), value);
    }
}
