package io.tributary.core.group;

import io.tributary.core.group.ClassicMessages.Protocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of __consumer_offsets. A key names what a record is about (one committed offset, or
 * one group's metadata), so compaction keeps the latest record per key and a tombstone deletes it;
 * a value is a versioned snapshot of that thing. Replaying a partition in order rebuilds its shard.
 */
final class CoordinatorRecords {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorRecords.class);

    static final short OFFSET = 1;
    static final short CLASSIC_GROUP = 2;
    static final short CONSUMER_GROUP = 3;
    private static final short VALUE_VERSION = 0;

    /** What replay does with each record; a null value argument means the key was deleted. */
    interface Replay {
        void offset(String groupId, TopicPartition tp, CommittedOffset offset);

        void classicGroup(String groupId, ClassicGroup group);

        void consumerGroup(String groupId, ConsumerGroup group);
    }

    private CoordinatorRecords() {
    }

    // ---- offsets

    static KeyValue offset(String groupId, TopicPartition tp, CommittedOffset offset) {
        ByteBuffer key = new RecordBytes.Writer().putShort(OFFSET).putString(groupId).putString(tp.topic())
                .putInt(tp.partition()).done();
        if (offset == null) {
            return new KeyValue(key, null);
        }
        ByteBuffer value = new RecordBytes.Writer().putShort(VALUE_VERSION).putLong(offset.offset())
                .putInt(offset.leaderEpoch()).putString(offset.metadata()).putLong(offset.commitTimestampMs()).done();
        return new KeyValue(key, value);
    }

    // ---- classic groups

    static KeyValue classicGroup(ClassicGroup group) {
        RecordBytes.Writer w = new RecordBytes.Writer().putShort(VALUE_VERSION)
                .putString(group.protocolType())
                .putInt(group.generation())
                .putString(group.protocolName())
                .putString(group.leaderId())
                .putInt(group.size());
        for (ClassicMember m : group.members()) {
            byte[] subscription = group.protocolName() == null ? null : m.metadata(group.protocolName());
            w.putString(m.memberId()).putString(m.instanceId()).putString(m.clientId).putString(m.clientHost)
                    .putInt(m.rebalanceTimeoutMs).putInt(m.sessionTimeoutMs)
                    .putBytes(subscription == null ? ClassicMember.NO_BYTES : subscription)
                    .putBytes(m.assignment);
        }
        return new KeyValue(groupKey(CLASSIC_GROUP, group.groupId()), w.done());
    }

    static KeyValue classicGroupTombstone(String groupId) {
        return new KeyValue(groupKey(CLASSIC_GROUP, groupId), null);
    }

    private static ClassicGroup readClassicGroup(String groupId, RecordBytes.Reader r) {
        ClassicGroup group = new ClassicGroup(groupId);
        String protocolType = r.getString();
        int generation = r.getInt();
        String protocolName = r.getString();
        String leader = r.getString();
        int count = r.getInt();
        for (int i = 0; i < count; i++) {
            String memberId = r.getString();
            String instanceId = r.getString();
            String clientId = r.getString();
            String clientHost = r.getString();
            int rebalanceTimeout = r.getInt();
            int sessionTimeout = r.getInt();
            byte[] subscription = r.getBytes();
            byte[] assignment = r.getBytes();
            List<Protocol> protocols = protocolName == null ? List.of() : List.of(new Protocol(protocolName, subscription));
            ClassicMember m = new ClassicMember(memberId, instanceId, clientId, clientHost, sessionTimeout,
                    rebalanceTimeout, protocols);
            m.assignment = assignment;
            group.add(m);
        }
        group.restore(generation, protocolType, protocolName, leader);
        return group;
    }

    // ---- consumer groups

    static KeyValue consumerGroup(ConsumerGroup group) {
        RecordBytes.Writer w = new RecordBytes.Writer().putShort(VALUE_VERSION)
                .putInt(group.groupEpoch)
                .putInt(group.assignmentEpoch)
                .putString(group.assignorName)
                .putInt(group.subscriptionMetadata.size());
        group.subscriptionMetadata.values().forEach(t -> w.putString(t.name()).putUuid(t.id()).putInt(t.partitions()));
        w.putInt(group.members.size());
        for (ConsumerMember m : group.members()) {
            w.putString(m.memberId()).putString(m.instanceId).putString(m.rackId).putString(m.clientId)
                    .putString(m.clientHost).putInt(m.memberEpoch).putInt(m.previousMemberEpoch)
                    .putByte(m.state.ordinal()).putInt(m.rebalanceTimeoutMs)
                    .putStrings(m.subscribedTopicNames).putString(m.subscribedTopicRegex).putString(m.serverAssignor);
            putAssignment(w, m.assigned);
            putAssignment(w, m.pendingRevocation);
            putAssignment(w, group.targetOf(m.memberId()));
        }
        return new KeyValue(groupKey(CONSUMER_GROUP, group.groupId()), w.done());
    }

    static KeyValue consumerGroupTombstone(String groupId) {
        return new KeyValue(groupKey(CONSUMER_GROUP, groupId), null);
    }

    private static ConsumerGroup readConsumerGroup(String groupId, RecordBytes.Reader r) {
        ConsumerGroup group = new ConsumerGroup(groupId);
        group.groupEpoch = r.getInt();
        group.assignmentEpoch = r.getInt();
        group.assignorName = r.getString();
        int topics = r.getInt();
        Map<String, TopicLookup.TopicMetadata> metadata = new HashMap<>();
        for (int i = 0; i < topics; i++) {
            TopicLookup.TopicMetadata t = new TopicLookup.TopicMetadata(r.getString(), r.getUuid(), r.getInt());
            metadata.put(t.name(), t);
        }
        group.subscriptionMetadata = metadata;
        int members = r.getInt();
        for (int i = 0; i < members; i++) {
            ConsumerMember m = new ConsumerMember(r.getString());
            m.instanceId = r.getString();
            m.rackId = r.getString();
            m.clientId = r.getString();
            m.clientHost = r.getString();
            m.memberEpoch = r.getInt();
            m.previousMemberEpoch = r.getInt();
            m.state = MemberState.values()[r.getByte()];
            m.rebalanceTimeoutMs = r.getInt();
            m.subscribedTopicNames = List.copyOf(r.getStrings());
            m.subscribedTopicRegex = r.getString();
            m.serverAssignor = r.getString();
            m.assigned = getAssignment(r);
            m.pendingRevocation = getAssignment(r);
            group.target.put(m.memberId(), getAssignment(r));
            group.members.put(m.memberId(), m);
        }
        return group;
    }

    private static void putAssignment(RecordBytes.Writer w, Assignment a) {
        w.putInt(a.topics().size());
        for (Uuid topic : a.topics()) {
            w.putUuid(topic).putInt(a.partitions(topic).size());
            a.partitions(topic).forEach(w::putInt);
        }
    }

    private static Assignment getAssignment(RecordBytes.Reader r) {
        Assignment.Builder b = new Assignment.Builder();
        int topics = r.getInt();
        for (int i = 0; i < topics; i++) {
            Uuid topic = r.getUuid();
            int n = r.getInt();
            for (int j = 0; j < n; j++) {
                b.add(topic, r.getInt());
            }
        }
        return b.build();
    }

    // ---- reading

    private static ByteBuffer groupKey(short type, String groupId) {
        return new RecordBytes.Writer().putShort(type).putString(groupId).done();
    }

    /** Applies one record of the offsets log to {@code replay}; unknown record types are skipped. */
    static void read(ByteBuffer key, ByteBuffer value, Replay replay) {
        RecordBytes.Reader k = new RecordBytes.Reader(key);
        short type = k.getShort();
        String groupId = k.getString();
        RecordBytes.Reader v = value == null ? null : new RecordBytes.Reader(value);
        if (v != null && v.getShort() != VALUE_VERSION) {
            LOG.warn("Skipping a record of group {} with an unknown value version", groupId);
            return;
        }
        switch (type) {
            case OFFSET -> {
                TopicPartition tp = new TopicPartition(k.getString(), k.getInt());
                replay.offset(groupId, tp, v == null ? null
                        : new CommittedOffset(v.getLong(), v.getInt(), v.getString(), v.getLong()));
            }
            case CLASSIC_GROUP -> replay.classicGroup(groupId, v == null ? null : readClassicGroup(groupId, v));
            case CONSUMER_GROUP -> replay.consumerGroup(groupId, v == null ? null : readConsumerGroup(groupId, v));
            default -> LOG.warn("Skipping a record of group {} with unknown type {}", groupId, type);
        }
    }
}
