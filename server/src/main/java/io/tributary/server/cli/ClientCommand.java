package io.tributary.server.cli;

import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A command that talks to a running broker over the Kafka protocol. Failures print one line naming the
 * cause (exit code 1) instead of a stack trace: this is a tool for people at a terminal.
 */
abstract class ClientCommand implements Callable<Integer> {

    static final int EXIT_FAILED = 1;

    @Mixin
    ClientOptions client;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ExecutionException e) {
            return fail(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(e);
        } catch (CliException | KafkaException | TimeoutException e) {
            return fail(e);
        }
    }

    /** Does the work; returns the exit code. */
    abstract int run() throws ExecutionException, InterruptedException, TimeoutException;

    Printer printer() {
        return new Printer(spec.commandLine().getOut(), client.output);
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int fail(Throwable cause) {
        String name = cause.getClass().getSimpleName().replaceAll("Exception$", "");
        err().println("Error: " + (cause.getMessage() != null ? cause.getMessage() : name)
                + (cause instanceof CliException ? "" : " (" + name + ")"));
        err().flush();
        return EXIT_FAILED;
    }
}
