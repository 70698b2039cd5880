package io.tributary.gateway.mqtt;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.Listener;
import io.tributary.core.config.MqttConfigDef;

import java.util.List;

/** The MQTT gateway's configuration, read once from the broker config. */
record MqttSettings(List<Listener> listeners, List<String> topicMappings, boolean allowAnonymous,
                    String credentialsFile, int maxPacketBytes, int receiveMaximum, int maxInflight,
                    int maxQueuedMessages, int kafkaRecordQos, long sessionExpiryMaxSeconds,
                    long checkpointIntervalMs, int connectTimeoutSeconds, int maxKeepAliveSeconds,
                    int topicAliasMaximum, int outboundTopicAliases, int eventLoops, int maxConnectionsPerIp,
                    String responseInformation) {

    @SuppressWarnings("unchecked")
    static MqttSettings from(BrokerConfig config) {
        return new MqttSettings(
                config.mqttListeners(),
                (List<String>) config.value(MqttConfigDef.MQTT_TOPIC_MAPPINGS),
                (Boolean) config.value(MqttConfigDef.MQTT_ALLOW_ANONYMOUS),
                (String) config.value(MqttConfigDef.MQTT_CREDENTIALS_FILE),
                ((Number) config.value(MqttConfigDef.MQTT_MAX_PACKET_BYTES)).intValue(),
                ((Number) config.value(MqttConfigDef.MQTT_RECEIVE_MAXIMUM)).intValue(),
                ((Number) config.value(MqttConfigDef.MQTT_MAX_INFLIGHT)).intValue(),
                ((Number) config.value(MqttConfigDef.MQTT_MAX_QUEUED_MESSAGES)).intValue(),
                ((Number) config.value(MqttConfigDef.MQTT_KAFKA_RECORD_QOS)).intValue(),
                ((Number) config.value(MqttConfigDef.MQTT_SESSION_EXPIRY_MAX_SECONDS)).longValue(),
                ((Number) config.value(MqttConfigDef.MQTT_SESSION_CHECKPOINT_MS)).longValue(),
                ((Number) config.value(MqttConfigDef.MQTT_CONNECT_TIMEOUT_SECONDS)).intValue(),
                ((Number) config.value(MqttConfigDef.MQTT_MAX_KEEP_ALIVE_SECONDS)).intValue(),
                ((Number) config.value(MqttConfigDef.MQTT_TOPIC_ALIAS_MAXIMUM)).intValue(),
                ((Number) config.value(MqttConfigDef.MQTT_OUTBOUND_TOPIC_ALIASES)).intValue(),
                Math.max(1, config.numNetworkThreads()),
                ((Number) config.value(MqttConfigDef.MQTT_MAX_CONNECTIONS_PER_IP)).intValue(),
                (String) config.value(MqttConfigDef.MQTT_RESPONSE_INFORMATION));
    }

    /** Caps a client's requested session expiry (seconds; -1 never expires) by the configured maximum. */
    long capExpiry(long requestedSeconds) {
        if (sessionExpiryMaxSeconds < 0) {
            return requestedSeconds;
        }
        return requestedSeconds < 0 ? sessionExpiryMaxSeconds : Math.min(requestedSeconds, sessionExpiryMaxSeconds);
    }
}
