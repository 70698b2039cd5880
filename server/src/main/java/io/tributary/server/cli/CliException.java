package io.tributary.server.cli;

/** A failure the CLI reports as one line on stderr (exit code 1), without a stack trace. */
public final class CliException extends RuntimeException {

    public CliException(String message) {
        super(message);
    }
}
