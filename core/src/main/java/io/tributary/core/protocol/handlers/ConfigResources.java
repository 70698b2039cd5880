package io.tributary.core.protocol.handlers;

import io.tributary.core.BrokerServices;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.protocol.TopicErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.protocol.Errors;

import java.util.Map;
import java.util.function.Function;

/** What AlterConfigs and IncrementalAlterConfigs share: resource checks and applying new topic overrides. */
final class ConfigResources {

    /** The outcome of altering one resource. */
    record Outcome(Errors error, String message) {
        static final Outcome OK = new Outcome(Errors.NONE, null);
    }

    private ConfigResources() {
    }

    /**
     * Alters one resource: topics get the overrides {@code change} computes from their current ones;
     * broker configs are static (read from the config file at start-up) and cannot be altered.
     */
    static Future<Outcome> alter(BrokerServices broker, byte type, String name, boolean validateOnly,
                                 Function<Map<String, String>, Map<String, String>> change) {
        if (type == ConfigResource.Type.BROKER.id()) {
            return Future.succeededFuture(new Outcome(Errors.INVALID_REQUEST, "Broker configs are static on this "
                    + "broker: set them in its config file or with --override, then restart it"));
        }
        if (type == ConfigResource.Type.BROKER_LOGGER.id()) {
            // IncrementalAlterConfigs handles broker loggers itself; only the deprecated AlterConfigs gets here.
            return Future.succeededFuture(new Outcome(Errors.INVALID_REQUEST,
                    "AlterConfigs does not support the resource type BROKER_LOGGER: use IncrementalAlterConfigs"));
        }
        if (type != ConfigResource.Type.TOPIC.id()) {
            return Future.succeededFuture(new Outcome(Errors.INVALID_REQUEST,
                    "Only topic configs can be altered on this broker"));
        }
        var topic = broker.topics().image().topic(name);
        if (topic.isEmpty()) {
            Errors error = TopicErrors.forMissingTopic(name);
            return Future.succeededFuture(new Outcome(error, error.message()));
        }
        Map<String, String> overrides;
        try {
            overrides = change.apply(topic.get().configs());
        } catch (RuntimeException e) {
            return Future.succeededFuture(new Outcome(Errors.INVALID_CONFIG, e.getMessage()));
        }
        return broker.topics().alterConfigs(name, overrides, validateOnly)
                .map(altered -> Outcome.OK)
                .recover(e -> Future.succeededFuture(new Outcome(
                        e instanceof TopicException ? TopicErrors.of(e) : Errors.forException(e), e.getMessage())));
    }
}
