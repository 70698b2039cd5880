package io.tributary.connect.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers for tests that start real servers (PostgreSQL, Mosquitto) from the machine's packages. */
final class ExternalProcess {

    private ExternalProcess() {
    }

    static boolean isRoot() {
        try {
            return run(List.of("id", "-u"), 10).trim().equals("0");
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs a command to completion; fails with its output when it exits non-zero. */
    static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish within " + timeoutSeconds + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command + " exited with " + process.exitValue() + ": " + output);
        }
        return output;
    }

    /** The command as {@code user} when running as root (servers refuse to run as root), else as is. */
    static List<String> as(String user, List<String> command) {
        if (!isRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", user, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
