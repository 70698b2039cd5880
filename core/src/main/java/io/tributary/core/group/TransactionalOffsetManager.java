package io.tributary.core.group;

import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.TxnCommitRequest;
import io.tributary.storage.LogError;
import io.tributary.storage.LogException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TxnOffsetCommit in one shard: offsets are written as a transactional batch of the producer, so they survive a
 * restart undecided, and become the group's offsets only when the transaction coordinator writes the commit marker
 * ({@link #complete}); an abort drops them. This is how consume-transform-produce commits input positions atomically
 * with its output.
 */
final class TransactionalOffsetManager {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionalOffsetManager.class);

    private final ShardState state;
    private final ShardWriter writer;
    private final GroupConfig config;

    TransactionalOffsetManager(ShardState state, ShardWriter writer, GroupConfig config) {
        this.state = state;
        this.writer = writer;
        this.config = config;
    }

    CommitResult commit(TxnCommitRequest r) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return new CommitResult(GroupError.INVALID_GROUP_ID, Map.of());
        }
        GroupError invalid = validate(state.group(r.groupId()), r);
        if (invalid != GroupError.NONE) {
            return new CommitResult(invalid, Map.of());
        }
        Map<TopicPartition, GroupError> errors = new HashMap<>();
        List<KeyValue> records = new ArrayList<>();
        Map<TopicPartition, CommittedOffset> accepted = new HashMap<>();
        r.offsets().forEach((tp, offset) -> {
            if (offset.metadata().length() > config.offsetMetadataMaxBytes()) {
                errors.put(tp, GroupError.OFFSET_METADATA_TOO_LARGE);
            } else {
                records.add(CoordinatorRecords.offset(r.groupId(), tp, offset));
                accepted.put(tp, offset);
            }
        });
        if (!records.isEmpty()) {
            try {
                writer.writeTransactional(records, r.producerId(), r.producerEpoch());
            } catch (CoordinatorWriteException e) {
                if (e.getCause() instanceof LogException le && le.error() == LogError.INVALID_PRODUCER_EPOCH) {
                    return new CommitResult(GroupError.INVALID_PRODUCER_EPOCH, Map.of());
                }
                LOG.warn("Transactional offset commit of group {} failed: {}", r.groupId(), e.getMessage());
                return new CommitResult(GroupError.COORDINATOR_NOT_AVAILABLE, Map.of());
            }
        }
        accepted.forEach((tp, offset) -> state.pendingTxnOffsets.add(r.producerId(), r.groupId(), tp, offset));
        return new CommitResult(GroupError.NONE, errors);
    }

    /** Kafka's checks for a transactional commit: the member and generation, when given, must be current. */
    private static GroupError validate(Group group, TxnCommitRequest r) {
        boolean anonymous = r.generationOrEpoch() < 0 && (r.memberId() == null || r.memberId().isEmpty());
        if (group == null) {
            return anonymous ? GroupError.NONE : GroupError.ILLEGAL_GENERATION;
        }
        if (anonymous) {
            return GroupError.NONE;
        }
        if (group instanceof ClassicGroup classic) {
            if (r.memberId() != null && !r.memberId().isEmpty() && classic.member(r.memberId()) == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (r.generationOrEpoch() >= 0 && r.generationOrEpoch() != classic.generation()) {
                return GroupError.ILLEGAL_GENERATION;
            }
            return GroupError.NONE;
        }
        ConsumerMember member = r.memberId() == null ? null : ((ConsumerGroup) group).member(r.memberId());
        if (member == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        return r.generationOrEpoch() == member.memberEpoch ? GroupError.NONE : GroupError.ILLEGAL_GENERATION;
    }

    /**
     * Writes the marker that decides {@code producerId}'s transaction in this shard's log, then applies or drops
     * its pending offsets. Throws {@link CoordinatorWriteException} when the marker could not be written; the
     * transaction coordinator then tries again.
     */
    void complete(long producerId, short epoch, boolean commit) {
        writer.writeMarker(producerId, epoch, commit);
        Map<String, Map<TopicPartition, CommittedOffset>> pending = state.pendingTxnOffsets.remove(producerId);
        if (commit) {
            pending.forEach((groupId, offsets) -> {
                if (state.group(groupId) == null) {
                    // As with a plain commit, a group that only commits exists as an empty classic group.
                    state.put(new ClassicGroup(groupId));
                }
                offsets.forEach((tp, offset) -> state.offsets.put(groupId, tp, offset));
            });
        }
    }
}
