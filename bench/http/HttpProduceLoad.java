import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for the HTTP gateway's produce endpoint: CONNECTIONS keep-alive HTTP/1.1 connections, each
 * sending one POST /topics/{topic} with BATCH text records of RECORD_SIZE bytes and waiting for its answer
 * before the next (closed loop), over raw sockets so the client costs as little CPU as possible.
 *
 *   java HttpProduceLoad HOST PORT TOPIC CONNECTIONS BATCH RECORD_SIZE WARMUP_S MEASURE_S
 *
 * Prints one result line: records/s, requests/s, MB/s of record values, and request latency percentiles.
 */
public final class HttpProduceLoad {

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String topic = args[2];
        int connections = Integer.parseInt(args[3]);
        int batch = Integer.parseInt(args[4]);
        int recordSize = Integer.parseInt(args[5]);
        long warmupNs = Long.parseLong(args[6]) * 1_000_000_000L;
        long measureNs = Long.parseLong(args[7]) * 1_000_000_000L;

        byte[] request = request(host, port, topic, batch, recordSize);
        long start = System.nanoTime();
        long measureFrom = start + warmupNs;
        long measureTo = measureFrom + measureNs;
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[connections];
        CountDownLatch done = new CountDownLatch(connections);
        for (int c = 0; c < connections; c++) {
            long[] own = new long[1 << 16];
            latencies.add(own);
            int index = c;
            Thread t = new Thread(() -> {
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= measureTo) {
                            break;
                        }
                        out.write(request);
                        out.flush();
                        Response r = readResponse(in);
                        long t1 = System.nanoTime();
                        if (r.status != 200 || r.body.contains("\"error_code\":4") || r.body.contains("\"error_code\":5")) {
                            errors.incrementAndGet();
                        } else if (t0 >= measureFrom && counts[index] < own.length) {
                            own[counts[index]++] = t1 - t0;
                        }
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    System.err.println("connection " + index + ": " + e);
                } finally {
                    done.countDown();
                }
            }, "load-" + c);
            t.start();
        }
        done.await();

        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            System.arraycopy(latencies.get(c), 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        double seconds = measureNs / 1e9;
        double requestsPerSec = total / seconds;
        double recordsPerSec = requestsPerSec * batch;
        System.out.printf("%d requests, %.1f requests/sec, %.1f records/sec (%.2f MB/sec), "
                        + "latency ms avg %.2f p50 %.2f p99 %.2f max %.2f, errors %d%n",
                total, requestsPerSec, recordsPerSec, recordsPerSec * recordSize / 1024 / 1024,
                total == 0 ? 0 : Arrays.stream(all).average().orElse(0) / 1e6, pct(all, 50), pct(all, 99),
                total == 0 ? 0 : all[total - 1] / 1e6, errors.get());
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private static byte[] request(String host, int port, String topic, int batch, int recordSize) {
        Random random = new Random(42);
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < batch; i++) {
            char[] value = new char[recordSize];
            for (int j = 0; j < recordSize; j++) {
                value[j] = (char) ('a' + random.nextInt(26));
            }
            body.append(i == 0 ? "" : ",").append("{\"value\":\"").append(value).append("\"}");
        }
        body.append("]}");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST /topics/" + topic + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nContent-Type: application/vnd.kafka.text.v2+json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(bytes);
        return out.toByteArray();
    }

    private record Response(int status, String body) {
    }

    /** Reads one response with a Content-Length body (what the gateway sends for produce). */
    private static Response readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        int length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            if (b == '\n') {
                String header = line.toString().trim();
                line.setLength(0);
                if (header.isEmpty()) {
                    break;
                }
                if (status < 0) {
                    status = Integer.parseInt(header.split(" ")[1]);
                } else if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            } else {
                line.append((char) b);
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(status, new String(body, StandardCharsets.UTF_8));
    }
}
