package io.tributary.connect.runtime;

import io.tributary.connect.plugins.Plugins;
import io.tributary.core.api.AppendedRecord;
import io.tributary.core.api.NewRecord;
import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.Records;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one SourceTask: polls it, transforms and converts its records, appends them, then stores the source
 * offsets of what was appended before polling again, so a restart neither repeats nor skips a record that
 * the broker acknowledged.
 */
public final class SourceTaskLoop implements TaskLoop {

    private final TaskEnvironment env;
    private final OffsetStorageReader offsetReader;
    private final io.micrometer.core.instrument.Counter recordsWritten;

    public SourceTaskLoop(TaskEnvironment env) {
        this.env = env;
        this.offsetReader = new StoredOffsetReader(env.id().connector(), env.offsets());
        this.recordsWritten = env.meters().sourceRecords(env.id().connector());
    }

    @Override
    public void run() throws Exception {
        SourceTask task = Plugins.withLoader(env.connectorLoader(),
                () -> (SourceTask) env.taskClass().getDeclaredConstructor().newInstance());
        RecordConverters converters = RecordConverters.create(env.plugins(), env.connectorConfig(), env.settings(),
                env.connectorLoader());
        ErrorPolicy errors = new ErrorPolicy(env.id().connector(), env.id().task(), env.connectorConfig(), env.bridge());
        try (TransformChain<SourceRecord> transforms = TransformChain.create(env.plugins(), env.connectorConfig(),
                env.connectorLoader()); PluginMetricsImpl metrics = new PluginMetricsImpl(env.metrics(), tags())) {
            Plugins.withLoader(env.connectorLoader(), () -> {
                task.initialize(new Context(metrics));
                task.start(env.taskConfig());
                return null;
            });
            try {
                long lastCommit = System.currentTimeMillis();
                while (!env.control().stopping()) {
                    if (env.control().paused()) {
                        env.control().awaitResumeOrStop(1000);
                        continue;
                    }
                    List<SourceRecord> polled = Plugins.withLoader(env.connectorLoader(), task::poll);
                    if (polled != null && !polled.isEmpty()) {
                        send(task, polled, transforms, converters, errors);
                    }
                    if (System.currentTimeMillis() - lastCommit >= env.settings().offsetFlushIntervalMs()) {
                        Plugins.withLoader(env.connectorLoader(), () -> { task.commit(); return null; });
                        lastCommit = System.currentTimeMillis();
                    }
                }
            } finally {
                Plugins.withLoader(env.connectorLoader(), () -> {
                    task.stop();
                    task.commit();
                    return null;
                });
            }
        }
    }

    private void send(SourceTask task, List<SourceRecord> polled, TransformChain<SourceRecord> transforms,
                      RecordConverters converters, ErrorPolicy errors) throws Exception {
        List<SourceRecord> sent = new ArrayList<>();
        List<SourceRecord> skipped = new ArrayList<>();
        Map<String, List<NewRecord>> byDestination = new LinkedHashMap<>();
        Map<String, List<Integer>> indexes = new LinkedHashMap<>();
        for (SourceRecord original : polled) {
            SourceRecord record = errors.execute(ErrorPolicy.Stage.TRANSFORMATION, null, () -> transforms.apply(original));
            NewRecord converted = record == null ? null : convert(record, converters, errors);
            if (converted == null) {
                skipped.add(original); // dropped or skipped: its offset still counts as handled below
                continue;
            }
            String destination = record.topic() + "\u0000" + (record.kafkaPartition() == null ? Records.ANY_PARTITION : record.kafkaPartition());
            byDestination.computeIfAbsent(destination, d -> new ArrayList<>()).add(converted);
            indexes.computeIfAbsent(destination, d -> new ArrayList<>()).add(sent.size());
            sent.add(original);
        }
        List<String> destinations = new ArrayList<>(byDestination.keySet());
        List<List<AppendedRecord>> appended = env.bridge().await(() -> {
            List<Future<List<AppendedRecord>>> appends = new ArrayList<>();
            for (String destination : destinations) {
                int sep = destination.indexOf('\u0000');
                appends.add(env.bridge().api().records().append(destination.substring(0, sep),
                        Integer.parseInt(destination.substring(sep + 1)), byDestination.get(destination)));
            }
            return Future.all(appends).map(all -> {
                List<List<AppendedRecord>> results = new ArrayList<>();
                for (int i = 0; i < appends.size(); i++) {
                    results.add(all.resultAt(i));
                }
                return results;
            });
        });
        AppendedRecord[] bySent = new AppendedRecord[sent.size()];
        for (int d = 0; d < destinations.size(); d++) {
            List<Integer> idx = indexes.get(destinations.get(d));
            for (int i = 0; i < idx.size(); i++) {
                bySent[idx.get(i)] = appended.get(d).get(i);
            }
        }
        Map<Map<String, ?>, Map<String, ?>> latest = new LinkedHashMap<>();
        for (SourceRecord original : polled) {
            if (original.sourcePartition() != null && original.sourceOffset() != null) {
                latest.put(original.sourcePartition(), original.sourceOffset());
            }
        }
        env.offsets().write(env.id().connector(), latest);
        recordsWritten.increment(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            AppendedRecord a = bySent[i];
            RecordMetadata metadata = new RecordMetadata(new TopicPartition(a.topic(), a.partition()), a.offset(), 0,
                    a.timestamp(), -1, -1);
            SourceRecord record = sent.get(i);
            Plugins.withLoader(env.connectorLoader(), () -> { task.commitRecord(record, metadata); return null; });
        }
        // As in Kafka Connect: a record that was filtered out is committed with no metadata.
        for (SourceRecord record : skipped) {
            Plugins.withLoader(env.connectorLoader(), () -> { task.commitRecord(record, null); return null; });
        }
    }

    private NewRecord convert(SourceRecord record, RecordConverters converters, ErrorPolicy errors) throws InterruptedException {
        RecordHeaders kafkaHeaders = new RecordHeaders();
        byte[] key = errors.execute(ErrorPolicy.Stage.KEY_CONVERTER, null,
                () -> converters.key().fromConnectData(record.topic(), kafkaHeaders, record.keySchema(), record.key()));
        if (key == null && record.key() != null) {
            return null;
        }
        byte[] value = errors.execute(ErrorPolicy.Stage.VALUE_CONVERTER, null,
                () -> converters.value().fromConnectData(record.topic(), kafkaHeaders, record.valueSchema(), record.value()));
        if (value == null && record.value() != null) {
            return null;
        }
        List<RecordHeader> headers = errors.execute(ErrorPolicy.Stage.HEADER_CONVERTER, null, () -> {
            List<RecordHeader> list = new ArrayList<>();
            kafkaHeaders.forEach(h -> list.add(new RecordHeader(h.key(), h.value())));
            for (Header h : record.headers()) {
                list.add(new RecordHeader(h.key(), converters.header().fromConnectHeader(record.topic(), h.key(), h.schema(), h.value())));
            }
            return list;
        });
        if (headers == null) {
            return null;
        }
        long timestamp = record.timestamp() == null ? NewRecord.NOW : record.timestamp();
        return new NewRecord(key, value, headers, timestamp);
    }

    private Map<String, String> tags() {
        return Map.of("connector", env.id().connector(), "task", String.valueOf(env.id().task()));
    }

    private final class Context implements SourceTaskContext {
        private final PluginMetrics metrics;

        Context(PluginMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public Map<String, String> configs() {
            return env.taskConfig();
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return offsetReader;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return metrics;
        }
    }
}
