import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Measures a broker's start-up from outside, for bench/run.sh.
 *
 * <pre>java StartupProbe HOST PORT TIMEOUT_MS</pre>
 *
 * Prints "polling" as soon as it runs (run.sh launches the broker only after seeing it, so the
 * probe's own JVM start-up is not counted), then tries a TCP connect every 10 ms. On the first
 * accepted connection it prints "connected EPOCH_MS", sends an ApiVersions v0 request on that
 * connection and, when a complete response arrives, prints "served EPOCH_MS" (the broker not only
 * listens but answers Kafka requests). If the broker answers nothing on a connection within 2 s
 * (some brokers listen before they serve), it reconnects and asks again until the deadline.
 * Exit code 0 when served, 1 on timeout.
 */
public final class StartupProbe {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long deadline = System.currentTimeMillis() + Long.parseLong(args[2]);
        System.out.println("polling");
        System.out.flush();
        boolean connectedReported = false;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(host, port), 1000);
                if (!connectedReported) {
                    System.out.println("connected " + System.currentTimeMillis());
                    System.out.flush();
                    connectedReported = true;
                }
                s.setSoTimeout(2000);
                if (apiVersions(s)) {
                    System.out.println("served " + System.currentTimeMillis());
                    System.out.flush();
                    return;
                }
            } catch (IOException notYet) {
                // refused, reset or timed out: try again
            }
            Thread.sleep(10);
        }
        System.out.println("timeout");
        System.exit(1);
    }

    /** Sends ApiVersions v0 (header v1) and reads one whole response frame. */
    private static boolean apiVersions(Socket s) throws IOException {
        byte[] clientId = "bench-probe".getBytes(StandardCharsets.UTF_8);
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        out.writeInt(2 + 2 + 4 + 2 + clientId.length);
        out.writeShort(18);          // api key: ApiVersions
        out.writeShort(0);           // api version 0
        out.writeInt(1);             // correlation id
        out.writeShort(clientId.length);
        out.write(clientId);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        int size = in.readInt();
        if (size < 4 || size > 1 << 20) {
            return false;
        }
        byte[] body = new byte[size];
        in.readFully(body);
        int correlationId = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
        return correlationId == 1;
    }
}
