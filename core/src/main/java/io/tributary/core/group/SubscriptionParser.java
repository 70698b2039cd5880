package io.tributary.core.group;

import java.util.Set;

/**
 * Reads the topics out of a classic consumer member's subscription metadata. The format belongs to the
 * client library, so the protocol layer supplies the parser.
 */
@FunctionalInterface
public interface SubscriptionParser {

    /** The subscribed topics; empty when the metadata cannot be read. */
    Set<String> topics(byte[] metadata);
}
