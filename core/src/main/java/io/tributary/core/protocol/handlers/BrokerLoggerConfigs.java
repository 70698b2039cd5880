package io.tributary.core.protocol.handlers;

import io.tributary.core.config.ConfigChange;
import io.tributary.core.logging.LogLevel;
import io.tributary.core.logging.LoggerLevels;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kafka's broker-loggers config resource ({@code kafka-configs --entity-type broker-loggers --entity-name ID}):
 * this broker's log levels, described and changed at run time with Kafka's rules. Changes last until the broker
 * stops, as in Kafka.
 */
final class BrokerLoggerConfigs {

    /** Why levels cannot be read or changed when logback is not the logging backend. */
    static final String NO_LEVELS = "Log levels are not available: the logging backend is not logback";

    private static final Logger LOG = LoggerFactory.getLogger(BrokerLoggerConfigs.class);

    private BrokerLoggerConfigs() {
    }

    /** Why a broker-logger resource of this name is refused here, or empty for this broker's own id. */
    static Optional<String> nameProblem(String name, int nodeId) {
        if (name == null || name.isEmpty()) {
            return Optional.of("Broker id must not be empty");
        }
        if (!name.equals(String.valueOf(nodeId))) {
            return Optional.of("Unexpected broker id, expected " + nodeId + " but received " + name);
        }
        return Optional.empty();
    }

    /** Every logger in use with its effective level, or only those named in {@code keys} when it is not null. */
    static List<DescribeConfigsResourceResult> describe(LoggerLevels levels, List<String> keys) {
        List<DescribeConfigsResourceResult> entries = new ArrayList<>();
        for (Map.Entry<String, String> logger : levels.levels().entrySet()) {
            if (keys == null || keys.contains(logger.getKey())) {
                entries.add(new DescribeConfigsResourceResult()
                        .setName(logger.getKey())
                        .setValue(logger.getValue())
                        .setConfigSource(ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG.id())
                        .setReadOnly(false)
                        .setIsSensitive(false));
            }
        }
        return entries;
    }

    /** Checks every change first, then applies them all (unless {@code validateOnly}): all or nothing. */
    static ConfigResources.Outcome alter(LoggerLevels levels, List<ConfigChange> changes, boolean validateOnly) {
        for (ConfigChange change : changes) {
            Optional<ConfigResources.Outcome> refused = problem(levels, change);
            if (refused.isPresent()) {
                return refused.get();
            }
        }
        if (!validateOnly) {
            for (ConfigChange change : changes) {
                if (change.op() == ConfigChange.Op.SET) {
                    levels.set(change.name(), LogLevel.named(change.value()).orElseThrow());
                    LOG.info("Log level of {} set to {} by IncrementalAlterConfigs", change.name(), change.value());
                } else {
                    levels.unset(change.name());
                    LOG.info("Log level of {} unset by IncrementalAlterConfigs: it inherits {}", change.name(),
                            levels.levels().get(change.name()));
                }
            }
        }
        return ConfigResources.Outcome.OK;
    }

    private static Optional<ConfigResources.Outcome> problem(LoggerLevels levels, ConfigChange change) {
        String logger = change.name();
        return switch (change.op()) {
            case SET -> {
                if (!levels.exists(logger)) {
                    yield missing(logger);
                }
                if (LogLevel.named(change.value()).isEmpty()) {
                    yield Optional.of(new ConfigResources.Outcome(Errors.INVALID_CONFIG, "Cannot set the log level of "
                            + logger + " to " + change.value() + " as it is not a supported log level. Valid log "
                            + "levels are " + LogLevel.NAMES));
                }
                yield Optional.empty();
            }
            case DELETE -> {
                if (!levels.exists(logger)) {
                    yield missing(logger);
                }
                if (logger.equals(LoggerLevels.ROOT)) {
                    yield Optional.of(new ConfigResources.Outcome(Errors.INVALID_REQUEST,
                            "Removing the log level of the " + LoggerLevels.ROOT + " logger is not allowed"));
                }
                yield Optional.empty();
            }
            case APPEND, SUBTRACT -> Optional.of(new ConfigResources.Outcome(Errors.INVALID_REQUEST, change.op()
                    + " operation is not allowed for the " + ConfigResource.Type.BROKER_LOGGER + " resource"));
        };
    }

    private static Optional<ConfigResources.Outcome> missing(String logger) {
        return Optional.of(new ConfigResources.Outcome(Errors.INVALID_CONFIG, "Logger " + logger + " does not exist"));
    }
}
