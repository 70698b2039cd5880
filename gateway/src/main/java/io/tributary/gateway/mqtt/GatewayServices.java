package io.tributary.gateway.mqtt;

import io.tributary.core.api.BrokerApi;
import io.vertx.core.Vertx;

/** What every MQTT connection shares: the broker, the config, the stores. All safe to use from any event loop. */
record GatewayServices(Vertx vertx, BrokerApi api, MqttSettings settings, TopicMapping mapping, TopicCatalog catalog,
                       LogPublisher publisher, RetainedStore retained, SessionRegistry sessions,
                       Authenticator authenticator, WillPublisher wills, MqttMetrics metrics) {
}
