package io.tributary.gateway;

import io.tributary.core.BoundListener;
import io.tributary.core.config.BrokerConfig;
import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connection limits of the MQTT and HTTP listeners against misbehaving clients, with raw sockets: connections per
 * address, a CONNECT that never completes (silent or sent byte by byte), HTTP headers sent byte by byte
 * (slow-loris), a half-sent HTTP body, a silent HTTP connection, and well-behaved clients that keep working
 * through all of it.
 */
class GatewayHardeningIT {

    private static final int PER_IP = 3;
    private static final long MQTT_CONNECT_TIMEOUT_MS = 2_000;
    private static final long HTTP_HEADER_TIMEOUT_MS = 3_000;
    private static final long HTTP_IDLE_TIMEOUT_MS = 6_000;

    @TempDir
    static Path work;
    private static EmbeddedBroker broker;
    private static Gateway gateway;
    private static final Map<String, Integer> ports = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("mqtt.listeners", "MQTT://127.0.0.1:0");
        props.put("http.listeners", "HTTP://127.0.0.1:0");
        props.put("num.network.threads", "2");
        props.put("mqtt.max.connections.per.ip", String.valueOf(PER_IP));
        props.put("mqtt.connect.timeout.seconds", String.valueOf(MQTT_CONNECT_TIMEOUT_MS / 1000));
        props.put("http.max.connections.per.ip", String.valueOf(PER_IP));
        props.put("http.request.header.timeout.ms", String.valueOf(HTTP_HEADER_TIMEOUT_MS));
        props.put("http.connections.max.idle.ms", String.valueOf(HTTP_IDLE_TIMEOUT_MS));
        props.put("http.stream.heartbeat.ms", "500");
        broker = EmbeddedBroker.start(work.resolve("data"), props);
        props.put("log.dirs", broker.dataDir().toString());
        gateway = Gateway.start(broker.broker().vertx(), BrokerConfig.parse(props), broker.broker().api())
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        for (BoundListener l : gateway.boundListeners()) {
            ports.put(l.name(), l.port());
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + broker.broker().boundListeners().get(0).port()))) {
            admin.createTopics(List.of(new NewTopic("hardening", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    // ---- MQTT ----

    @Test
    void mqttConnectionsBeyondTheLimitPerAddressAreClosed() throws Exception {
        List<MqttClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < PER_IP; i++) {
                clients.add(mqttClient("limit-" + i));
            }
            try (Socket extra = new Socket("127.0.0.1", ports.get("MQTT"))) {
                assertThat(closedByPeerWithin(extra, Duration.ofSeconds(5))).isTrue();
            }
            assertThatThrownBy(() -> mqttClient("limit-extra")).isInstanceOf(MqttException.class);
            clients.remove(0).disconnect();
            MqttClient again = awaitMqttClient("limit-again");
            clients.add(again);
            again.publish("hardening/after-limit", "ok".getBytes(StandardCharsets.UTF_8), 1, false);
        } finally {
            for (MqttClient c : clients) {
                closeQuietly(c);
            }
        }
    }

    @Test
    void mqttConnectionsThatNeverCompleteConnectAreClosed() throws Exception {
        byte[] connect = connectPacket("slow-client");
        try (Socket silent = new Socket("127.0.0.1", ports.get("MQTT"));
             Socket dribbling = new Socket("127.0.0.1", ports.get("MQTT"))) {
            long started = System.nanoTime();
            // One byte every 300 ms: the whole CONNECT would take several times the connect timeout, and the
            // connection is never silent long enough for an idle timeout.
            boolean closedEarly = false;
            for (int i = 0; i < connect.length - 1 && !closedEarly; i++) {
                try {
                    dribbling.getOutputStream().write(connect[i]);
                    dribbling.getOutputStream().flush();
                } catch (IOException e) {
                    closedEarly = true;
                }
                if (!closedEarly && closedByPeerWithin(dribbling, Duration.ofMillis(300))) {
                    closedEarly = true;
                }
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            assertThat(closedEarly).as("the dribbled CONNECT is cut off before it completes").isTrue();
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(MQTT_CONNECT_TIMEOUT_MS - 200));
            assertThat(closedByPeerWithin(silent, Duration.ofSeconds(5))).isTrue();
        }
        // A well-behaved client stays connected well past the connect timeout.
        MqttClient client = mqttClient("patient");
        try {
            Thread.sleep(MQTT_CONNECT_TIMEOUT_MS + 1_000);
            assertThat(client.isConnected()).isTrue();
            client.publish("hardening/patient", "still here".getBytes(StandardCharsets.UTF_8), 1, false);
        } finally {
            closeQuietly(client);
        }
    }

    // ---- HTTP ----

    @Test
    void httpConnectionsBeyondTheLimitPerAddressAreClosed() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < PER_IP; i++) {
                Socket s = new Socket("127.0.0.1", ports.get("HTTP"));
                open.add(s);
                assertThat(httpGet(s, "/health/live")).startsWith("HTTP/1.1 200");
            }
            // The server sees an HTTP connection once its first bytes arrive (they tell HTTP/1.1 from h2c).
            try (Socket extra = new Socket("127.0.0.1", ports.get("HTTP"))) {
                new Ascii(extra).write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                extra.setSoTimeout(5_000);
                assertThat(extra.getInputStream().readAllBytes()).as("closed without an answer").isEmpty();
            }
            open.remove(0).close();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            String answer = "";
            while (System.nanoTime() < deadline && !answer.startsWith("HTTP/1.1 200")) {
                try (Socket again = new Socket("127.0.0.1", ports.get("HTTP"))) {
                    answer = httpGet(again, "/health/live");
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            assertThat(answer).startsWith("HTTP/1.1 200");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void httpHeadersSentByteByByteAreCutOff() throws Exception {
        try (Socket slow = new Socket("127.0.0.1", ports.get("HTTP"))) {
            Ascii out = new Ascii(slow);
            out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            long started = System.nanoTime();
            boolean closed = false;
            // A header byte every 250 ms, never ending the headers: never idle, never complete.
            while (!closed && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20)) {
                try {
                    out.write("X");
                } catch (IOException e) {
                    closed = true;
                }
                closed = closed || closedByPeerWithin(slow, Duration.ofMillis(250));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            assertThat(closed).isTrue();
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(HTTP_HEADER_TIMEOUT_MS - 200))
                    .isLessThan(Duration.ofMillis(HTTP_IDLE_TIMEOUT_MS + 5_000));
        }
    }

    @Test
    void idleKeepAliveConnectionsAndHalfSentBodiesAreClosed() throws Exception {
        try (Socket keepAlive = new Socket("127.0.0.1", ports.get("HTTP"));
             Socket halfBody = new Socket("127.0.0.1", ports.get("HTTP"));
             Socket silent = new Socket("127.0.0.1", ports.get("HTTP"))) {
            assertThat(httpGet(keepAlive, "/health/live")).startsWith("HTTP/1.1 200");
            // Complete headers announcing 100 bytes of body, then only 10 of them: the request has begun, so only
            // the idle timeout can end it.
            new Ascii(halfBody).write("POST /topics/hardening HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/vnd.kafka.json.v2+json\r\nContent-Length: 100\r\n\r\n{\"records\"");
            long started = System.nanoTime();
            assertThat(closedByPeerWithin(keepAlive, Duration.ofSeconds(15))).isTrue();
            Duration keepAliveClosed = Duration.ofNanos(System.nanoTime() - started);
            assertThat(closedByPeerWithin(halfBody, Duration.ofSeconds(15))).isTrue();
            Duration halfBodyClosed = Duration.ofNanos(System.nanoTime() - started);
            assertThat(closedByPeerWithin(silent, Duration.ofSeconds(5))).as("a connection that never sent a byte")
                    .isTrue();
            assertThat(keepAliveClosed).isGreaterThanOrEqualTo(Duration.ofMillis(HTTP_HEADER_TIMEOUT_MS - 500));
            assertThat(halfBodyClosed).isGreaterThanOrEqualTo(Duration.ofMillis(HTTP_IDLE_TIMEOUT_MS - 500));
        }
    }

    @Test
    void wellBehavedHttpClientsKeepWorking() throws Exception {
        // Requests spaced within the header timeout reuse one connection; a pooled client recovers from the
        // server closing it when it waits longer.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI live = URI.create("http://127.0.0.1:" + ports.get("HTTP") + "/health/live");
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Thread.sleep(i == 2 ? HTTP_HEADER_TIMEOUT_MS + 1_500 : 500);
        }
        // An event stream outlives both timeouts: its request is being answered, and heartbeats flow.
        try (Socket stream = new Socket("127.0.0.1", ports.get("HTTP"))) {
            new Ascii(stream).write("GET /topics/hardening/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HTTP_IDLE_TIMEOUT_MS + 2_000);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            stream.setSoTimeout(1_000);
            InputStream in = stream.getInputStream();
            byte[] buf = new byte[4096];
            while (System.nanoTime() < until) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                assertThat(n).as("the stream is still open").isPositive();
                received.write(buf, 0, n);
            }
            assertThat(received.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 200").contains("text/event-stream");
        }
    }

    // ---- helpers ----

    private static MqttClient mqttClient(String id) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + ports.get("MQTT"), id, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setConnectionTimeout(5);
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }

    /** The server uncounts a closed connection as soon as it sees the close; retry briefly. */
    private static MqttClient awaitMqttClient(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                return mqttClient(id);
            } catch (MqttException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void closeQuietly(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        } catch (MqttException ignored) {
            // the test is over
        }
    }

    /** An MQTT 3.1.1 CONNECT with a clean session and a 60 s keep-alive. */
    private static byte[] connectPacket(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[]{0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, (byte) id.length});
        body.writeBytes(id);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    /** Sends a keep-alive GET and reads its (small) answer. */
    private static String httpGet(Socket socket, String path) throws IOException {
        new Ascii(socket).write("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        socket.setSoTimeout(5_000);
        byte[] buf = new byte[4096];
        int n = socket.getInputStream().read(buf);
        if (n < 0) {
            throw new IOException("closed by the server");
        }
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** True when the peer closes (or resets) the socket within {@code wait}; data received meanwhile is skipped. */
    private static boolean closedByPeerWithin(Socket socket, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        byte[] buf = new byte[4096];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            try {
                if (socket.getInputStream().read(buf) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }
    }

    /** Writes ASCII text to a socket. */
    private record Ascii(Socket socket) {

        void write(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
    }
}
