package io.tributary.core.group;

import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Requests and results of OffsetCommit, OffsetFetch and OffsetDelete. */
public final class OffsetMessages {

    private OffsetMessages() {
    }

    /**
     * @param generationOrEpoch the classic generation or the consumer-protocol member epoch; -1 from the admin
     *                          client and consumers without group management
     * @param modernApi         OffsetCommit v9+ (required by consumer-protocol members)
     */
    public record CommitRequest(String groupId, int generationOrEpoch, String memberId, String instanceId,
                                boolean modernApi, Map<TopicPartition, CommittedOffset> offsets) {
    }

    /**
     * TxnOffsetCommit: offsets committed inside {@code producerId}'s transaction.
     *
     * @param generationOrEpoch the member's generation (or member epoch), -1 when the producer sent no group metadata
     */
    public record TxnCommitRequest(String groupId, long producerId, short producerEpoch, int generationOrEpoch,
                                   String memberId, String instanceId,
                                   Map<TopicPartition, CommittedOffset> offsets) {
    }

    /** @param error when not NONE, the error of every partition */
    public record CommitResult(GroupError error, Map<TopicPartition, GroupError> partitions) {

        public GroupError errorOf(TopicPartition tp) {
            return error != GroupError.NONE ? error : partitions.getOrDefault(tp, GroupError.NONE);
        }
    }

    /**
     * @param memberId    consumer-protocol members (OffsetFetch v9+) identify themselves; else null
     * @param memberEpoch -1 when not given
     * @param partitions  null for every partition the group has an offset for
     * @param requireStable (OffsetFetch v7+) report partitions with offsets pending in an open transaction as
     *                      unstable instead of answering their last committed offset
     */
    public record FetchRequest(String groupId, String memberId, int memberEpoch, List<TopicPartition> partitions,
                               boolean requireStable) {

        public FetchRequest(String groupId, String memberId, int memberEpoch, List<TopicPartition> partitions) {
            this(groupId, memberId, memberEpoch, partitions, false);
        }
    }

    /**
     * @param offsets  the committed offsets found; a partition without one is absent
     * @param unstable partitions with a transactional offset commit still undecided (UNSTABLE_OFFSET_COMMIT)
     */
    public record FetchResult(GroupError error, Map<TopicPartition, CommittedOffset> offsets,
                              Set<TopicPartition> unstable) {

        public FetchResult(GroupError error, Map<TopicPartition, CommittedOffset> offsets) {
            this(error, offsets, Set.of());
        }
    }

    public record DeleteRequest(String groupId, List<TopicPartition> partitions) {
    }

    public record DeleteResult(GroupError error, Map<TopicPartition, GroupError> partitions) {
    }
}
