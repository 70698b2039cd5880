package io.tributary.core.protocol;

import io.tributary.core.config.TopicConfigValue;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/** Translates topic config descriptions into the codes of DescribeConfigs and CreateTopics responses. */
public final class TopicConfigResponses {

    private TopicConfigResponses() {
    }

    public static ConfigSource source(TopicConfigValue value) {
        return switch (value.source()) {
            case TOPIC_OVERRIDE -> ConfigSource.TOPIC_CONFIG;
            case BROKER_DEFAULT -> ConfigSource.STATIC_BROKER_CONFIG;
            case DEFAULT -> ConfigSource.DEFAULT_CONFIG;
        };
    }

    public static ConfigType type(TopicConfigValue value) {
        try {
            return ConfigType.valueOf(value.type());
        } catch (IllegalArgumentException e) {
            return ConfigType.UNKNOWN;
        }
    }
}
