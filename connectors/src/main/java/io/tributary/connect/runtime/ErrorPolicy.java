package io.tributary.connect.runtime;

import io.tributary.core.api.NewRecord;
import io.tributary.core.api.RecordHeader;
import io.tributary.core.api.Records;
import io.tributary.core.api.StoredRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * errors.tolerance and the dead letter queue, as in Kafka Connect: with "none" the first failing conversion or
 * transformation fails the task; with "all" the record is skipped, logged if asked, and a sink's original
 * record goes unchanged to the dead letter topic, with __connect.errors.* headers if asked.
 */
public final class ErrorPolicy {

    /** Where in the pipeline a record failed; the names are Kafka Connect's. */
    public enum Stage { KEY_CONVERTER, VALUE_CONVERTER, HEADER_CONVERTER, TRANSFORMATION, TASK_PUT, TASK_POLL }

    private static final Logger LOG = LoggerFactory.getLogger(ErrorPolicy.class);

    private final String connector;
    private final int taskId;
    private final boolean tolerateAll;
    private final boolean logErrors;
    private final String deadLetterTopic;
    private final boolean contextHeaders;
    private final BrokerBridge bridge;

    public ErrorPolicy(String connector, int taskId, Map<String, String> config, BrokerBridge bridge) {
        this.connector = connector;
        this.taskId = taskId;
        this.tolerateAll = ConnectorConfig.tolerateAll(config);
        this.logErrors = Boolean.parseBoolean(config.getOrDefault(ConnectorConfig.ERRORS_LOG_ENABLE, "false").trim());
        this.deadLetterTopic = config.getOrDefault(ConnectorConfig.DLQ_TOPIC, "").trim();
        this.contextHeaders = Boolean.parseBoolean(config.getOrDefault(ConnectorConfig.DLQ_CONTEXT_HEADERS, "false").trim());
        this.bridge = bridge;
    }

    public boolean tolerateAll() {
        return tolerateAll;
    }

    /**
     * Runs one stage for one record. Returns its result, or null when it failed and failures are tolerated
     * (the caller skips the record); throws when they are not.
     *
     * @param original the sink record as read, dead-lettered on a tolerated failure; null for source records
     */
    public <T> T execute(Stage stage, StoredRecord original, Callable<T> operation) throws InterruptedException {
        try {
            return operation.call();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            report(stage, original, e);
            return null;
        }
    }

    /** A failure of one record: rethrown under "none", else logged and dead-lettered. */
    public void report(Stage stage, StoredRecord original, Throwable error) throws InterruptedException {
        if (!tolerateAll) {
            throw new ConnectException("Tolerance exceeded in error handler at stage " + stage, error);
        }
        if (logErrors) {
            LOG.warn("Connector {} task {} skipped a record at stage {}{}: {}", connector, taskId, stage,
                    original == null ? "" : " (" + original.topic() + "-" + original.partition() + "@" + original.offset() + ")",
                    error.toString());
        }
        if (original != null && !deadLetterTopic.isEmpty()) {
            NewRecord dead = new NewRecord(original.key(), original.value(), headers(stage, original, error), original.timestamp());
            bridge.await(() -> bridge.api().records().append(deadLetterTopic, Records.ANY_PARTITION, List.of(dead)));
        }
    }

    private List<RecordHeader> headers(Stage stage, StoredRecord original, Throwable error) {
        List<RecordHeader> headers = new ArrayList<>(original.headers());
        if (contextHeaders) {
            add(headers, "__connect.errors.topic", original.topic());
            add(headers, "__connect.errors.partition", String.valueOf(original.partition()));
            add(headers, "__connect.errors.offset", String.valueOf(original.offset()));
            add(headers, "__connect.errors.connector.name", connector);
            add(headers, "__connect.errors.task.id", String.valueOf(taskId));
            add(headers, "__connect.errors.stage", stage.name());
            add(headers, "__connect.errors.exception.class.name", error.getClass().getName());
            add(headers, "__connect.errors.exception.message", String.valueOf(error.getMessage()));
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            add(headers, "__connect.errors.exception.stacktrace", trace.toString());
        }
        return headers;
    }

    private static void add(List<RecordHeader> headers, String key, String value) {
        headers.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8)));
    }
}
