package io.tributary.connect.http;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * POSTs records to a URL in batches, as a JSON array of their values, retrying failed requests with
 * exponential backoff. Offsets are committed only for batches the server accepted (2xx).
 */
public final class HttpSinkConnector extends SinkConnector {

    public static final String URL = "http.url";
    public static final String BATCH_SIZE = "batch.size";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String REQUEST_TIMEOUT_MS = "request.timeout.ms";
    public static final String HEADERS = "http.headers";

    static final ConfigDef CONFIG = new ConfigDef()
            .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, HttpSinkConnector::validUrl, Importance.HIGH,
                    "http:// or https:// URL the batches are POSTed to.")
            .define(BATCH_SIZE, Type.INT, 100, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Most records per request.")
            .define(MAX_RETRIES, Type.INT, 5, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "Retries of a failed request (connection error, 5xx, 429) before the task fails and is restarted.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Wait before the first retry; doubles with each further one.")
            .define(REQUEST_TIMEOUT_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "How long one request may take.")
            .define(HEADERS, Type.LIST, "", Importance.LOW,
                    "Extra request headers as Name:Value, comma-separated.");

    private Map<String, String> config;

    private static void validUrl(String name, Object value) {
        try {
            URI uri = URI.create(String.valueOf(value));
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(name, value, "must be an http:// or https:// URL");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "must be an http:// or https:// URL");
        }
    }

    @Override
    public void start(Map<String, String> props) {
        CONFIG.parse(props);
        this.config = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HttpSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return new ArrayList<>(Collections.nCopies(maxTasks, config));
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public String version() {
        return "1.0";
    }
}
