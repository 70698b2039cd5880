package io.tributary.connect.http;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Sends each put() as batches of JSON arrays; put() returns only once every batch was accepted. */
public final class HttpSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSinkTask.class);

    private final JsonConverter json = new JsonConverter();
    private HttpClient client;
    private URI url;
    private int batchSize;
    private int maxRetries;
    private long backoffMs;
    private Duration timeout;
    private List<String> headers;

    @Override
    public void start(Map<String, String> props) {
        AbstractConfig config = new AbstractConfig(HttpSinkConnector.CONFIG, props);
        url = URI.create(config.getString(HttpSinkConnector.URL));
        batchSize = config.getInt(HttpSinkConnector.BATCH_SIZE);
        maxRetries = config.getInt(HttpSinkConnector.MAX_RETRIES);
        backoffMs = config.getLong(HttpSinkConnector.RETRY_BACKOFF_MS);
        timeout = Duration.ofMillis(config.getLong(HttpSinkConnector.REQUEST_TIMEOUT_MS));
        headers = config.getList(HttpSinkConnector.HEADERS);
        json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, "false"), false);
        client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        List<SinkRecord> batch = new ArrayList<>(batchSize);
        for (SinkRecord record : records) {
            batch.add(record);
            if (batch.size() == batchSize) {
                send(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            send(batch);
        }
    }

    private void send(List<SinkRecord> batch) {
        byte[] body = body(batch);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon > 0) {
                request.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            }
        }
        String lastProblem = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                sleepBackoff(attempt);
            }
            try {
                HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return;
                }
                lastProblem = "HTTP " + status;
                if (status != 429 && status / 100 == 4) {
                    throw new ConnectException(url + " refused a batch: HTTP " + status + " " + response.body());
                }
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("Interrupted while sending", e);
            }
            LOG.debug("POST {} failed ({}), attempt {}", url, lastProblem, attempt + 1);
        }
        throw new ConnectException("POST " + url + " failed " + (maxRetries + 1) + " times; last: " + lastProblem);
    }

    /** Exponential backoff between retries of one request; the task's own thread may wait. */
    private void sleepBackoff(int attempt) {
        try {
            Thread.sleep(backoffMs << Math.min(attempt - 1, 16));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while backing off", e);
        }
    }

    private byte[] body(List<SinkRecord> batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            SinkRecord record = batch.get(i);
            byte[] value = json.fromConnectData(record.topic(), record.valueSchema(), record.value());
            out.writeBytes(value == null ? "null".getBytes() : value);
        }
        out.write(']');
        return out.toByteArray();
    }

    @Override
    public void stop() {
    }

    @Override
    public String version() {
        return "1.0";
    }
}
