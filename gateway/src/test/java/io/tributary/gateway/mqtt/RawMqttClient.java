package io.tributary.gateway.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A hand-written MQTT 3.1.1 client that can send anything. */
final class RawMqttClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;

    RawMqttClient(int port, String clientId) throws IOException {
        this(port, clientId, 60);
    }

    RawMqttClient(int port, String clientId, int keepAliveSeconds) throws IOException {
        this(port, clientId, keepAliveSeconds, null);
    }

    /** @param willTopic a will topic (payload "will of CLIENT", QoS 1), or null */
    RawMqttClient(int port, String clientId, int keepAliveSeconds, String willTopic) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        connect(clientId, keepAliveSeconds, willTopic);
        byte[] connack = in.readNBytes(4);
        assertThat(connack).containsExactly(0x20, 0x02, 0x00, 0x00);
    }

    /** A client with a persistent session (clean session 0); {@code sessionPresent} is what CONNACK must say. */
    static RawMqttClient persistent(int port, String clientId, boolean sessionPresent) throws IOException {
        return new RawMqttClient(port, clientId, sessionPresent);
    }

    private RawMqttClient(int port, String clientId, boolean sessionPresent) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[]{0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, 0x00, 0x00, 60});
        writeString(body, clientId);
        packet(0x10, body.toByteArray());
        assertThat(in.readNBytes(4)).containsExactly(0x20, 0x02, sessionPresent ? 0x01 : 0x00, 0x00);
    }

    /** A QoS 2 PUBLISH; {@code dup} marks a resend. */
    void publishQos2(String topic, String payload, int packetId, boolean dup) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(new byte[]{(byte) (packetId >> 8), (byte) packetId});
        body.write(payload.getBytes(StandardCharsets.UTF_8));
        packet(dup ? 0x3C : 0x34, body.toByteArray());
    }

    void expectPubRec(int packetId) throws IOException {
        assertThat(in.readNBytes(4)).containsExactly(0x50, 0x02, (byte) (packetId >> 8), (byte) packetId);
    }

    void pubRel(int packetId) throws IOException {
        send(new byte[]{0x62, 0x02, (byte) (packetId >> 8), (byte) packetId});
    }

    void expectPubComp(int packetId) throws IOException {
        assertThat(in.readNBytes(4)).containsExactly(0x70, 0x02, (byte) (packetId >> 8), (byte) packetId);
    }

    void connect(String clientId) throws IOException {
        connect(clientId, 60, null);
    }

    void connect(String clientId, int keepAliveSeconds, String willTopic) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        // Flags: clean session, plus will with QoS 1 when a will topic is given.
        byte flags = (byte) (willTopic == null ? 0x02 : 0x02 | 0x04 | 0x08);
        body.write(new byte[]{0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, flags, 0x00, (byte) keepAliveSeconds});
        writeString(body, clientId);
        if (willTopic != null) {
            writeString(body, willTopic);
            writeString(body, "will of " + clientId);
        }
        packet(0x10, body.toByteArray());
    }

    void publishQos1(String topic, String payload, int packetId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        body.write(new byte[]{(byte) (packetId >> 8), (byte) packetId});
        body.write(payload.getBytes(StandardCharsets.UTF_8));
        packet(0x32, body.toByteArray());
    }

    void expectPubAck(int packetId) throws IOException {
        assertThat(in.readNBytes(4)).containsExactly(0x40, 0x02, (byte) (packetId >> 8), (byte) packetId);
    }

    void packet(int header, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int len = body.length;
        do {
            int digit = len % 128;
            len /= 128;
            out.write(len > 0 ? digit | 0x80 : digit);
        } while (len > 0);
        out.write(body);
        send(out.toByteArray());
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** The server closes the connection (possibly after a last packet). */
    void expectClosed() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain whatever the server sent before closing
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection");
        } catch (IOException e) {
            // reset by the server: closed as well
        }
    }

    private static void writeString(ByteArrayOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(new byte[]{(byte) (b.length >> 8), (byte) b.length});
        out.write(b);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
