package io.tributary.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A few hosts on one machine for tests of what crosses a network: one network namespace per host, each joined
 * by a veth pair to a bridge in the test's own namespace, which the test reaches them through. A host can be cut
 * off (its link to the bridge taken down) and reconnected. Needs root and iproute2; {@link #available} says.
 */
final class NetworkNamespaces implements AutoCloseable {

    private static final String SUBNET = "10.231.77.";
    private final String prefix;
    private final int hosts;
    private final String bridge;

    private NetworkNamespaces(String prefix, int hosts) {
        this.prefix = prefix;
        this.hosts = hosts;
        this.bridge = prefix + "br";
    }

    /** True when this process may create namespaces (root with iproute2). */
    static boolean available() {
        try {
            run(List.of("ip", "netns", "add", "tribprobe"));
            run(List.of("ip", "netns", "del", "tribprobe"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Hosts 1..{@code hosts}: namespaces {@code prefix + i} with address {@link #address}(i). */
    static NetworkNamespaces create(String prefix, int hosts) throws IOException {
        NetworkNamespaces net = new NetworkNamespaces(prefix, hosts);
        net.close();
        run(List.of("ip", "link", "add", net.bridge, "type", "bridge"));
        run(List.of("ip", "addr", "add", SUBNET + "254/24", "dev", net.bridge));
        run(List.of("ip", "link", "set", net.bridge, "up"));
        for (int i = 1; i <= hosts; i++) {
            String ns = net.namespace(i);
            run(List.of("ip", "netns", "add", ns));
            run(List.of("ip", "link", "add", net.hostSide(i), "type", "veth", "peer", "name", net.nsSide(i)));
            run(List.of("ip", "link", "set", net.nsSide(i), "netns", ns));
            run(List.of("ip", "link", "set", net.hostSide(i), "master", net.bridge));
            run(List.of("ip", "link", "set", net.hostSide(i), "up"));
            run(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", address(i) + "/24", "dev", net.nsSide(i)));
            run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", net.nsSide(i), "up"));
            run(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
        }
        return net;
    }

    String namespace(int host) {
        return prefix + host;
    }

    static String address(int host) {
        return SUBNET + host;
    }

    /** Cuts host {@code i} off from every other host and from the test. */
    void disconnect(int i) throws IOException {
        run(List.of("ip", "link", "set", hostSide(i), "down"));
    }

    void reconnect(int i) throws IOException {
        run(List.of("ip", "link", "set", hostSide(i), "up"));
    }

    /** Runs a command inside host {@code i}'s namespace; returns its exit code and output. */
    Result exec(int i, List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(i)));
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.isAlive() ? -1 : p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {
    }

    @Override
    public void close() {
        for (int i = 1; i <= hosts; i++) {
            runQuietly(List.of("ip", "link", "del", hostSide(i)));
            runQuietly(List.of("ip", "netns", "del", namespace(i)));
        }
        runQuietly(List.of("ip", "link", "del", bridge));
    }

    private String hostSide(int i) {
        return prefix + "h" + i;
    }

    private String nsSide(int i) {
        return prefix + "n" + i;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void runQuietly(List<String> command) {
        try {
            run(command);
        } catch (IOException e) {
            // absent already
        }
    }
}
