package io.tributary.gateway.mqtt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A hand-written MQTT 5 client that can send what Paho would not (bad topic aliases, for one). */
final class RawMqtt5Client implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    /** A PUBLISH as it came over the wire. */
    record Publish(String topic, int topicAlias, int qos, int packetId, String payload) {
    }

    RawMqtt5Client(int port, String clientId) throws IOException {
        this(port, clientId, new byte[0], 0x00);
    }

    /** Connects with these CONNECT properties (encoded, without their length) and expects this CONNACK reason. */
    RawMqtt5Client(int port, String clientId, byte[] connectProperties, int expectedReason) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        // Protocol name, level 5, clean start, keep-alive 60 s, then the properties.
        body.write(new byte[]{0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 60});
        body.write(connectProperties.length); // the tests' properties are shorter than 128 bytes
        body.write(connectProperties);
        writeString(body, clientId);
        packet(0x10, body.toByteArray());
        int[] connack = readPacket();
        assertThat(connack[0]).isEqualTo(0x20);
        assertThat(connack[3]).as("CONNACK reason").isEqualTo(expectedReason);
    }

    /**
     * Sends a CONNECT with a QoS 0 will carrying these will properties (encoded, without their length) and returns the
     * CONNACK reason code; the connection is closed afterwards.
     */
    static int connectWithWill(int port, String clientId, byte[] willProperties, String willTopic) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            // Protocol name, level 5, flags: will flag and clean start, keep-alive 60 s, no CONNECT properties.
            body.write(new byte[]{0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x06, 0x00, 60, 0x00});
            writeString(body, clientId);
            body.write(willProperties.length); // the tests' properties are shorter than 128 bytes
            body.write(willProperties);
            writeString(body, willTopic);
            writeString(body, "will");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x10);
            out.write(body.size()); // shorter than 128 bytes
            out.write(body.toByteArray());
            socket.getOutputStream().write(out.toByteArray());
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("CONNACK").isEqualTo(0x20);
            int length = in.read();
            byte[] rest = in.readNBytes(length);
            return rest[1] & 0xFF;
        }
    }

    /** Subscribes to {@code filter} at {@code qos} and waits for the granting SUBACK. */
    void subscribe(String filter, int qos, int packetId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[]{(byte) (packetId >> 8), (byte) packetId, 0x00});
        writeString(body, filter);
        body.write(qos);
        packet(0x82, body.toByteArray());
        int[] suback = readPacket();
        assertThat(suback[0]).as("SUBACK").isEqualTo(0x90);
        assertThat(suback[suback.length - 1]).as("SUBACK reason").isEqualTo(qos);
    }

    /** Reads the next PUBLISH (acknowledging it at QoS 1). */
    Publish readPublish() throws IOException {
        int[] p = readPacket();
        assertThat(p[0] & 0xF0).as("PUBLISH").isEqualTo(0x30);
        int qos = (p[0] >> 1) & 3;
        int i = 2;
        int topicLength = (p[i] << 8) | p[i + 1];
        i += 2;
        String topic = string(p, i, topicLength);
        i += topicLength;
        int packetId = 0;
        if (qos > 0) {
            packetId = (p[i] << 8) | p[i + 1];
            i += 2;
        }
        int[] pos = {i};
        int propsLength = varInt(p, pos);
        int end = pos[0] + propsLength;
        int alias = 0;
        i = pos[0];
        while (i < end) {
            int id = p[i++];
            switch (id) {
                case 0x01 -> i += 1;
                case 0x02 -> i += 4;
                case 0x23 -> {
                    alias = (p[i] << 8) | p[i + 1];
                    i += 2;
                }
                case 0x03, 0x08, 0x09 -> i += 2 + ((p[i] << 8) | p[i + 1]);
                case 0x0B -> {
                    pos[0] = i;
                    varInt(p, pos);
                    i = pos[0];
                }
                case 0x26 -> {
                    i += 2 + ((p[i] << 8) | p[i + 1]);
                    i += 2 + ((p[i] << 8) | p[i + 1]);
                }
                default -> throw new AssertionError("unexpected PUBLISH property " + id);
            }
        }
        String payload = string(p, end, p.length - end);
        if (qos == 1) {
            packet(0x40, new byte[]{(byte) (packetId >> 8), (byte) packetId});
        }
        return new Publish(topic, alias, qos, packetId, payload);
    }

    /** Sends an AUTH packet with reason {@code reason} and no properties. */
    void auth(int reason) throws IOException {
        packet(0xF0, new byte[]{(byte) reason, 0x00});
    }

    private static int varInt(int[] p, int[] pos) {
        int value = 0;
        int shift = 0;
        int b;
        do {
            b = p[pos[0]++];
            value |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }

    private static String string(int[] p, int from, int length) {
        byte[] b = new byte[length];
        for (int k = 0; k < length; k++) {
            b[k] = (byte) p[from + k];
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Expects the server to close the connection without sending anything more. */
    void expectClosed() throws IOException {
        try {
            assertThat(in.read()).as("end of stream").isEqualTo(-1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection");
        } catch (IOException e) {
            // reset by the server: closed as well
        }
    }

    /** A PUBLISH (QoS 0 or 1) with a Topic Alias property; {@code topic} may be empty to use the alias. */
    void publishWithAlias(String topic, int alias, String payload, int qos, int packetId) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, topic);
        if (qos > 0) {
            body.write(new byte[]{(byte) (packetId >> 8), (byte) packetId});
        }
        body.write(new byte[]{0x03, 0x23, (byte) (alias >> 8), (byte) alias});
        body.write(payload.getBytes(StandardCharsets.UTF_8));
        packet(0x30 | qos << 1, body.toByteArray());
    }

    /** Reads one packet: element 0 the first header byte, then the remaining bytes. */
    int[] readPacket() throws IOException {
        int header = in.read();
        if (header < 0) {
            throw new IOException("connection closed");
        }
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.read();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] rest = in.readNBytes(length);
        int[] out = new int[rest.length + 2];
        out[0] = header;
        out[1] = length;
        for (int i = 0; i < rest.length; i++) {
            out[i + 2] = rest[i] & 0xFF;
        }
        return out;
    }

    /** Expects a PUBACK for {@code packetId} with reason success. */
    void expectPubAck(int packetId) throws IOException {
        int[] p = readPacket();
        assertThat(p[0]).isEqualTo(0x40);
        assertThat((p[2] << 8) | p[3]).isEqualTo(packetId);
        assertThat(p[1] == 2 || p[4] == 0).as("PUBACK reason success").isTrue();
    }

    /** Expects the server's DISCONNECT and returns its reason code; then the connection closes. */
    int expectDisconnect() throws IOException {
        int[] p = readPacket();
        assertThat(p[0]).as("DISCONNECT").isEqualTo(0xE0);
        int reason = p[1] == 0 ? 0 : p[2];
        try {
            while (in.read() >= 0) {
                // drain until the server closes
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection");
        } catch (IOException e) {
            // reset by the server: closed as well
        }
        return reason;
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
        socket.getOutputStream().write(out.toByteArray());
        socket.getOutputStream().flush();
    }

    static void writeString(ByteArrayOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(new byte[]{(byte) (b.length >> 8), (byte) b.length});
        out.write(b);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
