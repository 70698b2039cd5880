package io.tributary.connect.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client of the Kafka Connect REST API, as curl or a UI would use it. */
public final class RestClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One answer: status and parsed JSON body (null when empty). */
    public record Answer(int status, JsonNode body) {
    }

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RestClient(String base) {
        this.base = base;
    }

    public Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Answer post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(json(body)));
    }

    public Answer put(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(json(body)));
    }

    public Answer delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    /** The connector's state as /status reports it. */
    public String connectorState(String name) {
        Answer answer = get("/connectors/" + name + "/status");
        return answer.status() == 200 ? answer.body().path("connector").path("state").asText() : "HTTP " + answer.status();
    }

    /** The state of task 0, or "none". */
    public String taskState(String name) {
        Answer answer = get("/connectors/" + name + "/status");
        JsonNode tasks = answer.body() == null ? null : answer.body().path("tasks");
        return tasks == null || tasks.isEmpty() ? "none" : tasks.get(0).path("state").asText();
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(body instanceof String s ? s.getBytes() : MAPPER.writeValueAsBytes(body));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(), body == null || body.isBlank() ? null : MAPPER.readTree(body));
        } catch (Exception e) {
            throw new IllegalStateException("HTTP request failed", e);
        }
    }
}
