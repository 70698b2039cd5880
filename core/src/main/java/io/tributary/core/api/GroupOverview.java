package io.tributary.core.api;

/**
 * A consumer group in a listing.
 *
 * @param type  the group protocol: {@code classic} or {@code consumer}
 * @param state the coordinator's state name (Empty, Stable, PreparingRebalance, ...)
 */
public record GroupOverview(String groupId, String type, String state, int memberCount) {
}
