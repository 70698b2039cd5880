package io.tributary.gateway.mqtt;

import org.apache.kafka.common.TopicPartition;

import java.util.List;

/**
 * A message on its way to one client.
 *
 * @param source   where it was read from, null for a retained message sent on subscribe
 * @param offset   its offset in {@code source}
 * @param released true once PUBREC arrived for a QoS 2 message (PUBREL sent, PUBCOMP awaited)
 */
record OutboundMessage(Publication publication, int qos, boolean retain, List<Integer> subscriptionIds,
                       TopicPartition source, long offset, boolean released) {

    OutboundMessage asReleased() {
        return new OutboundMessage(publication, qos, retain, subscriptionIds, source, offset, true);
    }
}
