package io.tributary.core.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import java.util.SortedMap;
import java.util.TreeMap;

/** {@link LoggerLevels} on logback's logger context. Logback's loggers are thread-safe to read and change. */
final class LogbackLoggerLevels implements LoggerLevels {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @Override
    public SortedMap<String, String> levels() {
        SortedMap<String, String> levels = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            levels.put(kafkaName(logger.getName()), logger.getEffectiveLevel().toString());
        }
        return levels;
    }

    @Override
    public boolean exists(String logger) {
        return context.exists(logbackName(logger)) != null;
    }

    @Override
    public void set(String logger, LogLevel level) {
        Level logbackLevel = level == LogLevel.FATAL ? Level.ERROR : Level.toLevel(level.name());
        context.getLogger(logbackName(logger)).setLevel(logbackLevel);
    }

    @Override
    public void unset(String logger) {
        context.getLogger(logbackName(logger)).setLevel(null);
    }

    private static String logbackName(String kafkaName) {
        return kafkaName.equals(ROOT) ? Logger.ROOT_LOGGER_NAME : kafkaName;
    }

    private static String kafkaName(String logbackName) {
        return logbackName.equals(Logger.ROOT_LOGGER_NAME) ? ROOT : logbackName;
    }
}
