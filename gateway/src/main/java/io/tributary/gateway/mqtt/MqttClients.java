package io.tributary.gateway.mqtt;

import java.util.List;

/** A read-only view of the MQTT clients connected to this member, for operators and the web console. */
@FunctionalInterface
public interface MqttClients {

    /** No MQTT gateway: nobody connected. */
    MqttClients NONE = List::of;

    /** The clients connected now, sorted by client id. A snapshot taken without stopping any connection. */
    List<MqttClientInfo> connected();
}
