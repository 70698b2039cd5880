package io.tributary.core.it;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A plain blocking socket to the broker that speaks Kafka framing with kafka-clients' own request and
 * response classes, or writes whatever bytes a test wants. Reads time out so a silent broker fails
 * the test instead of hanging it.
 */
final class RawKafkaSocket implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 15_000;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private int nextCorrelationId = 1;

    private RawKafkaSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    static RawKafkaSocket connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        return new RawKafkaSocket(socket);
    }

    static RawKafkaSocket connect(int port) throws IOException {
        return connect("127.0.0.1", port);
    }

    RequestHeader header(ApiKeys api, short version) {
        return new RequestHeader(api, version, "tributary-it-raw", nextCorrelationId++);
    }

    /** Sends {@code request} framed with a header of its own version and returns that header. */
    RequestHeader send(AbstractRequest request) throws IOException {
        RequestHeader header = header(request.apiKey(), request.version());
        writeFrame(request.serializeWithHeader(header));
        return header;
    }

    /** Reads one response frame and parses it as the answer to {@code header}. */
    AbstractResponse receive(RequestHeader header) throws IOException {
        return AbstractResponse.parseResponse(readFrame(), header);
    }

    @SuppressWarnings("unchecked")
    <T extends AbstractResponse> T roundTrip(AbstractRequest request) throws IOException {
        return (T) receive(send(request));
    }

    /** Writes a 4-byte size prefix then {@code body}. */
    void writeFrame(ByteBuffer body) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(4 + body.remaining());
        frame.putInt(body.remaining()).put(body.duplicate()).flip();
        writeRaw(frame.array(), frame.arrayOffset(), frame.remaining());
    }

    void writeRaw(byte[] bytes) throws IOException {
        writeRaw(bytes, 0, bytes.length);
    }

    void writeRaw(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        out.flush();
    }

    /** One response frame without its size prefix. */
    ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        if (size < 0 || size > 64 * 1024 * 1024) {
            throw new IOException("implausible response size " + size);
        }
        byte[] body = new byte[size];
        in.readFully(body);
        return ByteBuffer.wrap(body);
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * True if the broker closes the connection within {@code within}: a read hits end of stream or a
     * reset. Any byte the broker sends instead is an answer, not a close, and fails this check.
     */
    boolean closedByPeerWithin(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        InputStream raw = socket.getInputStream();
        try {
            int b = raw.read();
            if (b < 0) {
                return true;
            }
            throw new AssertionError("expected the broker to close the connection, but it sent data (first byte "
                    + b + ")");
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException | SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(READ_TIMEOUT_MS);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
