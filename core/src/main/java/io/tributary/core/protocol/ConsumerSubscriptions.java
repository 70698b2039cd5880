package io.tributary.core.protocol;

import io.tributary.core.group.SubscriptionParser;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/** Reads the topics of a classic consumer's subscription with the client library's own codec. */
public final class ConsumerSubscriptions implements SubscriptionParser {

    @Override
    public Set<String> topics(byte[] metadata) {
        try {
            return new HashSet<>(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata)).topics());
        } catch (RuntimeException e) {
            return Set.of();
        }
    }
}
