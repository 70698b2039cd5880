package io.tributary.server;

import io.tributary.connect.ConnectRuntime;
import io.tributary.core.Broker;
import io.tributary.core.BoundListener;
import io.tributary.core.config.BrokerConfig;
import io.tributary.gateway.Gateway;
import io.vertx.core.Future;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one broker, its gateway and its connector runtime for the life of the process: starts them,
 * announces them, and stops them cleanly (connectors and gateway first, so their last records still reach
 * the log) when the JVM is asked to exit (SIGTERM, Ctrl-C).
 */
final class BrokerLauncher {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLauncher.class);

    private final BrokerConfig config;
    private final PrintWriter err;
    private final long startNanos;

    BrokerLauncher(BrokerConfig config, PrintWriter err, long startNanos) {
        this.config = config;
        this.err = err;
        this.startNanos = startNanos;
    }

    /** Work done against a started broker, given the address of its first Kafka listener. */
    @FunctionalInterface
    interface Exercise {
        void run(String bootstrap) throws Exception;
    }

    /** Starts the broker and blocks until it has been stopped; returns the process exit code. */
    int run() throws InterruptedException {
        return run(null);
    }

    /**
     * Starts the broker; with an {@code exercise}, runs it once the broker has started and then stops the broker
     * (exit code 1 if the exercise failed), else blocks until the broker has been stopped.
     */
    int run(Exercise exercise) throws InterruptedException {
        CompletableFuture<Node> started = new CompletableFuture<>();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                stop(started, stopped);
            }
        };
        // Installed before starting, so that a SIGTERM during start-up still stops what has started.
        Thread hook = new Thread(stop, "tributary-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        Broker.start(config).compose(broker -> Gateway.start(broker.vertx(), config, broker.api())
                        .compose(gateway -> ConnectRuntime.start(broker.vertx(), config, broker.api())
                                .map(connect -> new Node(broker, gateway, connect))
                                .recover(e -> gateway.stop().transform(ignored -> Future.failedFuture(e))))
                        .recover(e -> broker.stop().transform(ignored -> Future.failedFuture(e))))
                .onComplete(ar -> {
            if (ar.succeeded()) {
                started.complete(ar.result());
            } else {
                started.completeExceptionally(ar.cause());
            }
        });
        Node node;
        try {
            node = started.get();
        } catch (ExecutionException e) {
            LOG.debug("Start-up failed", e.getCause());
            err.println("Tributary failed to start: " + describe(e.getCause()));
            err.flush();
            return 1;
        }
        List<BoundListener> listeners = new ArrayList<>(node.broker().boundListeners());
        listeners.addAll(node.gateway().boundListeners());
        if (node.connect() != null) {
            listeners.addAll(node.connect().boundListeners());
        }
        LOG.info(StartupLine.format(Version.get(), config.nodeId(),
                listeners.stream().map(l -> StartupLine.uri(l.name(), l.host(), l.port())).toList(),
                config.logDirs(), Duration.ofNanos(System.nanoTime() - startNanos)));
        if (exercise != null) {
            int code = exerciseThenStop(exercise, node, stop);
            // The hook holds the stopped broker: a JVM that goes on (a test) must not keep it to its end.
            removeShutdownHook(hook);
            return code;
        }
        // The event loops would keep the JVM alive too; waiting here makes that explicit.
        stopped.await();
        return 0;
    }

    private int exerciseThenStop(Exercise exercise, Node node, Runnable stop) {
        BoundListener kafka = node.broker().boundListeners().get(0);
        int code = 0;
        try {
            exercise.run(kafka.host() + ":" + kafka.port());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("Exercising the started broker was interrupted");
            err.flush();
            code = 1;
        } catch (Exception e) {
            LOG.debug("The exercise failed", e);
            err.println("Exercising the started broker failed: " + describe(e));
            err.flush();
            code = 1;
        }
        stop.run();
        return code;
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: nothing to release.
        }
    }

    private static void stop(CompletableFuture<Node> started, CountDownLatch stopped) {
        try {
            long t0 = System.nanoTime();
            Node node;
            try {
                node = started.get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return; // never started: nothing to stop
            }
            LOG.info("Tributary stopping");
            // Connectors first (their last offsets and records still reach the log), then the gateway, then the broker.
            Future<Void> connectStopped = node.connect() == null ? Future.succeededFuture() : node.connect().stop();
            connectStopped.transform(ignored -> node.gateway().stop()).transform(ignored -> node.broker().stop())
                    .toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info(String.format(Locale.ROOT, "Tributary stopped (%.1f s)", (System.nanoTime() - t0) / 1e9));
        } catch (TimeoutException e) {
            LOG.warn("Tributary did not stop within {} s; exiting anyway", STOP_TIMEOUT.toSeconds());
        } catch (ExecutionException e) {
            LOG.warn("Tributary stopped with an error: {}", describe(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    /** What runs in this process; connect is null when connect.listeners is empty. */
    private record Node(Broker broker, Gateway gateway, ConnectRuntime connect) {
    }

    /** The distinct messages along a cause chain, e.g. "Failed to bind PLAINTEXT://...: Address already in use". */
    static String describe(Throwable t) {
        List<String> messages = new ArrayList<>();
        for (Throwable c = t; c != null && messages.size() < 4; c = c.getCause() == c ? null : c.getCause()) {
            String m = c instanceof FileSystemException fse
                    // Their message is only the path: say what happened to it.
                    ? c.getClass().getSimpleName().replace("Exception", "") + " " + fse.getFile()
                            + (fse.getReason() != null ? " (" + fse.getReason() + ")" : "")
                    : Objects.requireNonNullElse(c.getMessage(), c.getClass().getSimpleName());
            if (messages.stream().noneMatch(prev -> prev.contains(m))) {
                messages.add(m);
            }
        }
        return String.join(": ", messages);
    }
}
