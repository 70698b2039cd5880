package io.tributary.connect.runtime;

import io.tributary.connect.plugins.Plugins;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.AssignmentListener;
import io.tributary.core.api.GroupMembership;
import io.tributary.core.api.Records;
import io.tributary.core.api.RecordsRead;
import io.tributary.core.api.StoredRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Runs one SinkTask as a member of the consumer group connect-{name}: reads its assigned partitions through
 * the broker API, converts and transforms the records, hands them to put(), and commits the positions the
 * task's preCommit() confirms, periodically and whenever partitions are taken away. Group callbacks arrive
 * on the broker context and are queued to this thread, which alone touches the task and the positions.
 */
public final class SinkTaskLoop implements TaskLoop {

    private static final Logger LOG = LoggerFactory.getLogger(SinkTaskLoop.class);
    private static final int FETCH_BYTES = 1 << 20;
    private static final long POLL_WAIT_MS = 500;
    private static final long DEFAULT_RETRY_MS = 1000;
    /** How often topics.regex is matched against the topics again, so new topics are picked up. */
    private static final long TOPIC_REFRESH_MS = 5000;

    private sealed interface GroupEvent permits Assigned, Revoked {
    }

    private record Assigned(Set<TopicPartition> partitions) implements GroupEvent {
    }

    private record Revoked(Set<TopicPartition> partitions, Promise<Void> done) implements GroupEvent {
    }

    private final TaskEnvironment env;
    private final String groupId;
    private final io.micrometer.core.instrument.Counter recordsDelivered;
    private final BlockingQueue<GroupEvent> events = new LinkedBlockingQueue<>();
    /** Next offset to read per owned partition; this thread only. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    /** The delivered batch's records, for the errant record reporter to find the originals. */
    private final Map<SinkRecord, StoredRecord> inFlight = new IdentityHashMap<>();
    private SinkTask task;
    private SinkContext context;
    private SinkRecordConverter converter;
    private ErrorPolicy errors;
    private GroupMembership membership;
    private Pattern topicsRegex;
    private List<String> subscribed;
    /** Set once the task has closed its partitions: revocations while leaving need no work from this thread. */
    private volatile boolean leaving;

    public SinkTaskLoop(TaskEnvironment env) {
        this.env = env;
        this.groupId = "connect-" + env.id().connector();
        this.recordsDelivered = env.meters().sinkRecords(env.id().connector());
    }

    @Override
    public void run() throws Exception {
        task = Plugins.withLoader(env.connectorLoader(), () -> (SinkTask) env.taskClass().getDeclaredConstructor().newInstance());
        errors = new ErrorPolicy(env.id().connector(), env.id().task(), env.connectorConfig(), env.bridge());
        RecordConverters converters = RecordConverters.create(env.plugins(), env.connectorConfig(), env.settings(),
                env.connectorLoader());
        try (TransformChain<SinkRecord> transforms = TransformChain.create(env.plugins(), env.connectorConfig(), env.connectorLoader());
             PluginMetricsImpl metrics = new PluginMetricsImpl(env.metrics(),
                     Map.of("connector", env.id().connector(), "task", String.valueOf(env.id().task())))) {
            converter = new SinkRecordConverter(converters, transforms, errors);
            context = new SinkContext(env.taskConfig(), reporter(), metrics);
            inTask(() -> {
                task.initialize(context);
                task.start(env.taskConfig());
                return null;
            });
            String regex = env.connectorConfig().getOrDefault(ConnectorConfig.TOPICS_REGEX, "").trim();
            topicsRegex = regex.isEmpty() ? null : Pattern.compile(regex);
            subscribed = topicsRegex == null ? ConnectorConfig.list(env.connectorConfig(), ConnectorConfig.TOPICS) : matchingTopics();
            membership = env.bridge().await(() -> env.bridge().api().groups().join(groupId,
                    "connector-consumer-" + env.id(), subscribed, new Listener()));
            try {
                loop();
            } catch (Exception | Error failure) {
                // The task's own failure is what its status must show, not a follow-up failure while closing.
                try {
                    shutdown();
                } catch (Exception | Error closing) {
                    failure.addSuppressed(closing);
                }
                throw failure;
            }
            shutdown();
        }
    }

    private void loop() throws Exception {
        long lastCommit = System.currentTimeMillis();
        long lastTopicRefresh = System.currentTimeMillis();
        while (!env.control().stopping()) {
            if (topicsRegex != null && System.currentTimeMillis() - lastTopicRefresh >= TOPIC_REFRESH_MS) {
                refreshSubscription();
                lastTopicRefresh = System.currentTimeMillis();
            }
            boolean idle = context.ownedPartitions().isEmpty() || env.control().paused();
            handleEvents(idle ? POLL_WAIT_MS : 0);
            applyRewinds();
            if (env.control().paused() || context.ownedPartitions().isEmpty()) {
                continue;
            }
            Map<TopicPartition, RecordsRead> reads = fetch();
            List<StoredRecord> batch = new ArrayList<>();
            reads.values().forEach(r -> batch.addAll(r.records()));
            if (!batch.isEmpty()) {
                deliver(batch);
            }
            // Also past skipped control batches, and to the log start after an out-of-range position.
            reads.forEach((tp, read) -> positions.computeIfPresent(tp, (t, p) -> read.nextOffset()));
            if (context.takeCommitRequest() || System.currentTimeMillis() - lastCommit >= env.settings().offsetFlushIntervalMs()) {
                commit(new HashSet<>(context.ownedPartitions()));
                lastCommit = System.currentTimeMillis();
            }
        }
    }

    private List<String> matchingTopics() throws InterruptedException {
        return env.bridge().await(() -> Future.succeededFuture(env.bridge().api().topics().list())).stream()
                .filter(t -> !t.internal() && topicsRegex.matcher(t.name()).matches())
                .map(t -> t.name()).sorted().toList();
    }

    private void refreshSubscription() throws InterruptedException {
        List<String> now = matchingTopics();
        if (!now.equals(subscribed)) {
            LOG.info("Task {} now reads {}", env.id(), now);
            subscribed = now;
            membership.subscribe(now);
        }
    }

    private void deliver(List<StoredRecord> batch) throws Exception {
        inFlight.clear();
        List<SinkRecord> records = new ArrayList<>(batch.size());
        for (StoredRecord stored : batch) {
            SinkRecord record = converter.convert(stored);
            if (record != null) {
                records.add(record);
                inFlight.put(record, stored);
            }
        }
        while (true) {
            try {
                inTask(() -> {
                    task.put(records);
                    return null;
                });
                recordsDelivered.increment(records.size());
                return;
            } catch (RetriableException e) {
                LOG.debug("Task {} asked to retry a batch: {}", env.id(), e.toString());
                env.control().backoff(context.retryTimeoutMs(DEFAULT_RETRY_MS));
                if (env.control().stopping()) {
                    throw e; // not delivered: the uncommitted position makes the next run read them again
                }
            }
        }
    }

    /** Reads every unpaused partition now; if nothing is there, waits a little for an append to any of them. */
    private Map<TopicPartition, RecordsRead> fetch() throws InterruptedException {
        List<TopicPartition> active = context.ownedPartitions().stream().filter(tp -> !context.isPaused(tp)).toList();
        if (active.isEmpty()) {
            env.control().backoff(POLL_WAIT_MS);
            return Map.of();
        }
        Map<TopicPartition, Long> from = new HashMap<>(positions);
        Map<TopicPartition, RecordsRead> now = readAll(active,
                tp -> env.bridge().api().records().read(tp, from.get(tp), FETCH_BYTES), from);
        if (now.entrySet().stream().anyMatch(e -> !e.getValue().isEmpty() || e.getValue().nextOffset() != from.get(e.getKey()))) {
            return now;
        }
        return readAll(active, tp -> env.bridge().api().records().poll(tp, from.get(tp), FETCH_BYTES, POLL_WAIT_MS), from);
    }

    private Map<TopicPartition, RecordsRead> readAll(List<TopicPartition> partitions,
                                                     Function<TopicPartition, Future<RecordsRead>> read,
                                                     Map<TopicPartition, Long> from) throws InterruptedException {
        List<RecordsRead> results = env.bridge().await(() -> {
            List<Future<RecordsRead>> reads = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                reads.add(read.apply(tp).recover(e -> outOfRange(tp, from.get(tp), e)));
            }
            return Future.all(reads).map(all -> all.<RecordsRead>list());
        });
        Map<TopicPartition, RecordsRead> byPartition = new HashMap<>();
        for (int i = 0; i < partitions.size(); i++) {
            byPartition.put(partitions.get(i), results.get(i));
        }
        return byPartition;
    }

    /** A position outside the log (retention deleted it) restarts at the earliest record, as auto.offset.reset=earliest. */
    private Future<RecordsRead> outOfRange(TopicPartition tp, long offset, Throwable e) {
        if (e instanceof ApiException api && api.reason() == ApiException.Reason.OFFSET_OUT_OF_RANGE) {
            return env.bridge().api().records().offsetFor(tp, Records.EARLIEST).map(earliest -> {
                LOG.warn("Task {}: offset {} of {} is out of range; continuing at {}", env.id(), offset, tp, earliest);
                return new RecordsRead(List.of(), earliest, earliest, earliest);
            });
        }
        return Future.failedFuture(e);
    }

    private void handleEvents(long waitMs) throws Exception {
        GroupEvent event = waitMs > 0 ? events.poll(waitMs, TimeUnit.MILLISECONDS) : events.poll();
        while (event != null) {
            if (event instanceof Assigned assigned) {
                open(assigned.partitions());
            } else if (event instanceof Revoked revoked) {
                try {
                    close(revoked.partitions());
                } finally {
                    env.bridge().context().runOnContext(v -> revoked.done().tryComplete());
                }
            }
            event = events.poll();
        }
    }

    private void open(Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, Long> committed = env.bridge().await(() -> env.bridge().api().groups().committed(groupId, partitions));
        for (TopicPartition tp : partitions) {
            Long position = committed.get(tp);
            if (position == null) {
                position = env.bridge().await(() -> env.bridge().api().records().offsetFor(tp, Records.EARLIEST));
            }
            positions.put(tp, position);
        }
        context.ownedPartitions().addAll(partitions);
        inTask(() -> {
            task.open(partitions);
            return null;
        });
        applyRewinds();
    }

    private void close(Set<TopicPartition> partitions) throws Exception {
        Set<TopicPartition> owned = new HashSet<>(partitions);
        owned.retainAll(context.ownedPartitions());
        if (owned.isEmpty()) {
            return;
        }
        try {
            commit(owned);
            inTask(() -> {
                task.close(owned);
                return null;
            });
        } finally {
            owned.forEach(positions::remove);
            context.removeAll(owned);
        }
    }

    private void applyRewinds() {
        context.takeRewinds().forEach((tp, offset) -> {
            if (positions.containsKey(tp)) {
                positions.put(tp, offset);
            }
        });
    }

    /** Commits what preCommit() confirms of the current positions of {@code partitions}. */
    private void commit(Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long position = positions.get(tp);
            if (position != null) {
                current.put(tp, new OffsetAndMetadata(position));
            }
        }
        if (current.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> confirmed = inTask(() -> task.preCommit(current));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (confirmed != null) {
            confirmed.forEach((tp, om) -> {
                if (partitions.contains(tp) && om != null) {
                    offsets.put(tp, om.offset());
                }
            });
        }
        if (!offsets.isEmpty()) {
            try {
                env.bridge().await(() -> membership.commit(offsets));
            } catch (ApiException e) {
                LOG.info("Task {} could not commit {}: {}", env.id(), offsets, e.getMessage());
            }
        }
    }

    private void shutdown() throws Exception {
        try {
            if (context != null && !context.ownedPartitions().isEmpty()) {
                close(new HashSet<>(context.ownedPartitions()));
            }
        } finally {
            try {
                inTask(() -> {
                    task.stop();
                    return null;
                });
            } finally {
                leaving = true;
                GroupEvent pending;
                while ((pending = events.poll()) != null) {
                    if (pending instanceof Revoked revoked) {
                        env.bridge().context().runOnContext(v -> revoked.done().tryComplete());
                    }
                }
                if (membership != null) {
                    env.bridge().await(() -> membership.leave());
                }
            }
        }
    }

    private <T> T inTask(java.util.concurrent.Callable<T> call) throws Exception {
        return Plugins.withLoader(env.connectorLoader(), call);
    }

    private ErrantRecordReporter reporter() {
        return (record, error) -> {
            try {
                StoredRecord original = inFlight.get(record);
                errors.report(ErrorPolicy.Stage.TASK_PUT, original, error);
                return CompletableFuture.completedFuture(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    /** Group callbacks, on the broker context: queued for the task's thread. */
    private final class Listener implements AssignmentListener {
        @Override
        public void onAssigned(Set<TopicPartition> partitions) {
            events.add(new Assigned(Set.copyOf(partitions)));
        }

        @Override
        public Future<Void> onRevoked(Set<TopicPartition> partitions) {
            if (leaving) {
                return Future.succeededFuture(); // already closed and committed by shutdown()
            }
            Promise<Void> done = Promise.promise();
            events.add(new Revoked(Set.copyOf(partitions), done));
            return done.future();
        }
    }
}
