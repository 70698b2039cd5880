package io.tributary.core.logging;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The levels Kafka accepts for a broker logger (log4j's). Logback has no FATAL: it logs those events as ERROR. */
public enum LogLevel {
    FATAL, ERROR, WARN, INFO, DEBUG, TRACE;

    /** "FATAL, ERROR, WARN, INFO, DEBUG, TRACE", for error messages. */
    public static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

    /** The level of this exact name (Kafka's names are upper case). */
    public static Optional<LogLevel> named(String name) {
        return Arrays.stream(values()).filter(level -> level.name().equals(name)).findFirst();
    }
}
