package io.tributary.core.logging;

import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.SortedMap;

/**
 * The process's log levels, read and changed while it runs: what Kafka's broker-loggers config resource shows and
 * alters. Names are SLF4J logger names, and the root logger is called {@value #ROOT} as in Kafka.
 */
public interface LoggerLevels {

    String ROOT = "root";

    /** Every logger in use with its effective level (its own, or the one it inherits). */
    SortedMap<String, String> levels();

    /** Whether a logger of this name is in use (Kafka changes only existing loggers). */
    boolean exists(String logger);

    /** Sets a logger's own level. */
    void set(String logger, LogLevel level);

    /** Drops a logger's own level, so that it inherits its parent's again. */
    void unset(String logger);

    /** The levels of the logging backend in use, if it is logback (the broker's own); empty for any other. */
    static Optional<LoggerLevels> current() {
        // Compared by name: logback is an optional dependency, and its classes load only when it is the backend.
        boolean logback = LoggerFactory.getILoggerFactory().getClass().getName()
                .equals("ch.qos.logback.classic.LoggerContext");
        return logback ? Optional.of(new LogbackLoggerLevels()) : Optional.empty();
    }
}
