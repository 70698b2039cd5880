package io.tributary.server;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A broker in a child JVM ({@link Main} on the test class path) on a fresh port and a given data dir, for tests that
 * kill it with SIGKILL. Each start logs to its own file.
 */
final class ChildBroker implements AutoCloseable {

    /** How long a start may take: a cluster member's waits on the others (a leader to replay from) add up under load. */
    private static final java.time.Duration START_TIMEOUT = java.time.Duration.ofSeconds(120);
    /** Past this, the test output names the start as slow and a thread dump is kept next to its log. */
    private static final java.time.Duration SLOW_START = java.time.Duration.ofSeconds(45);
    private static final java.util.regex.Pattern STARTED = java.util.regex.Pattern.compile("Tributary \\S+ started: node ");

    private static final java.util.Random RANDOM = new java.util.Random();
    /** Ports given out in this JVM: a member that is down still owns its port. */
    private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

    private final Path dataDir;
    private final Path logDir;
    private final Map<String, String> overrides;
    private Process process;
    private Path log;
    private int port;
    private int fixedPort;
    /** The network namespace the child runs in (null: the test's own) and the address it listens on there. */
    private String namespace;
    private String host = "127.0.0.1";
    private int starts;

    ChildBroker(Path dataDir, Path logDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.overrides = overrides;
    }

    /**
     * Starts the child and returns once it has announced that it started (the gateway and the connector
     * runtime start after the Kafka port opens; a test must not race their start-up) and its port accepts.
     */
    int start() throws Exception {
        port = fixedPort > 0 ? fixedPort : freePort();
        starts++;
        log = logDir.resolve("broker-" + starts + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        if (namespace != null) {
            command.addAll(List.of("ip", "netns", "exec", namespace));
        }
        command.addAll(List.of(java, "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                // What the fat jar's manifest grants Hazelcast (a clustered child would warn without it).
                "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.management/sun.management=ALL-UNNAMED",
                "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
                "-cp", classPath(), Main.class.getName(),
                "--override", "listeners=PLAINTEXT://" + host + ":" + port,
                "--override", "log.dirs=" + dataDir,
                // Free ports for the gateway, so parallel builds never fight over 1883 and 8080.
                "--override", "mqtt.listeners=MQTT://127.0.0.1:0",
                "--override", "http.listeners=HTTP://127.0.0.1:0",
                "--override", "connect.listeners=HTTP://127.0.0.1:0",
                "--override", "num.network.threads=2",
                "--override", "offsets.topic.num.partitions=1",
                "--override", "transaction.state.log.num.partitions=1"));
        overrides.forEach((k, v) -> {
            command.add("--override");
            command.add(k + "=" + v);
        });
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        long started = System.nanoTime();
        long deadline = started + START_TIMEOUT.toNanos();
        boolean slowReported = false;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("broker exited with " + process.exitValue() + " during start-up: " + output());
            }
            // The launcher's start-up line (StartupLine), not any other component's "started:".
            if (STARTED.matcher(output()).find() && accepts(host, port)) {
                return port;
            }
            if (!slowReported && System.nanoTime() - started > SLOW_START.toNanos()) {
                // Members start in about 15 s here even under load: record what a slow one waits for.
                slowReported = true;
                System.out.println("SLOW START of " + log + " (over " + SLOW_START.toSeconds() + " s); threads in "
                        + threadDumpFile() + ": " + String.join(" | ", lastLines(5)));
                threadDump();
            }
            Thread.sleep(50);
        }
        String threads = threadDump();
        throw new AssertionError("broker did not start and accept connections on " + port + " within "
                + START_TIMEOUT.toSeconds() + " s; its last lines: " + String.join(" | ", lastLines(8))
                + "\nWhole log:\n" + output() + "\nThreads:\n" + threads);
    }

    /** The child's threads (jcmd Thread.print), to see what a start-up that hangs waits for. */
    private String threadDump() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd) || process == null || !process.isAlive()) {
            return "(not available)";
        }
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), "Thread.print")
                    .redirectErrorStream(true).start();
            String text = new String(dump.getInputStream().readAllBytes());
            dump.waitFor(30, TimeUnit.SECONDS);
            Files.writeString(threadDumpFile(), text);
            return text;
        } catch (IOException e) {
            return "(jcmd failed: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private Path threadDumpFile() {
        return logDir.resolve("broker-" + starts + ".threads.txt");
    }

    private List<String> lastLines(int count) {
        List<String> lines = output().lines().toList();
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }

    int port() {
        return port;
    }

    /** Runs the child inside network namespace {@code ns}, its Kafka listener on {@code address}. */
    ChildBroker inNamespace(String ns, String address) {
        this.namespace = ns;
        this.host = address;
        return this;
    }

    /** Keeps the Kafka port across restarts (cluster members that others reach by it). */
    ChildBroker withFixedPort(int kafkaPort) {
        this.fixedPort = kafkaPort;
        return this;
    }

    String bootstrap() {
        return host + ":" + port;
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the killed broker did not exit");
            }
        }
    }

    /** SIGTERM: a clean stop. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the broker did not stop within 60 s: " + output());
            }
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** What the current (or last) child printed. */
    String output() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Waits until the child's output contains {@code text}; false after {@code timeoutMs}. */
    boolean awaitOutput(String text, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            if (output().contains(text)) {
                return true;
            }
            if (!isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A free loopback port below the kernel's ephemeral range. A port from that range (what binding port 0 gives)
     * can become the local port of some outgoing connection before a member binds it, or binds it again after a
     * restart ("Address already in use", seen once in CI); ports below it are only ever taken by listeners.
     */
    static synchronized int freePort() throws IOException {
        int below = ephemeralRangeStart();
        int lowest = Math.max(1024, below - 12_000);
        if (below - lowest < 1_000) {
            try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort(); // no room below the ephemeral range on this machine
            }
        }
        for (int attempt = 0; attempt < 1_000; attempt++) {
            int candidate = lowest + RANDOM.nextInt(below - lowest);
            if (!HANDED_OUT.add(candidate)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate));
                return candidate;
            } catch (IOException inUse) {
                // taken by another listener: try another
            }
        }
        throw new IOException("no free port between " + lowest + " and " + below);
    }

    private static int ephemeralRangeStart() {
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }
}
