package io.tributary.core.it;

import java.util.Map;

/** Broker settings that keep group tests fast: no initial rebalance delay, short consumer-protocol sessions. */
final class GroupTestBroker {

    private GroupTestBroker() {
    }

    static Map<String, String> overrides() {
        return Map.of(
                "group.initial.rebalance.delay.ms", "0",
                "group.consumer.session.timeout.ms", "6000",
                "group.consumer.heartbeat.interval.ms", "500");
    }
}
