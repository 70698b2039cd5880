package io.tributary.core.txn;

import io.tributary.core.group.KeyValue;
import org.apache.kafka.common.TopicPartition;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of __transaction_state, in Kafka's formats so Kafka's tools can read the topic:
 * <pre>
 * key   TransactionLogKey v0:   version int16 | transactionalId string
 * value TransactionLogValue v0: version int16 | producerId int64 | producerEpoch int16 | timeoutMs int32 |
 *                               status int8 | partitions [topic string | [partition int32]] (null when Empty) |
 *                               lastUpdateTimestampMs int64 | startTimestampMs int64
 * </pre>
 * Strings are int16-length UTF-8, arrays int32-counted (-1 = null). A null value (tombstone) forgets the id.
 */
final class TxnLogRecords {

    private static final short VERSION = 0;

    private TxnLogRecords() {
    }

    static KeyValue record(TxnMetadata m) {
        return new KeyValue(key(m.transactionalId()), value(m));
    }

    static KeyValue tombstone(String transactionalId) {
        return new KeyValue(key(transactionalId), null);
    }

    static ByteBuffer key(String transactionalId) {
        byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 2 + id.length).putShort(VERSION).putShort((short) id.length).put(id).flip();
    }

    static ByteBuffer value(TxnMetadata m) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : m.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        int size = 2 + 8 + 2 + 4 + 1 + 4 + 8 + 8;
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            size += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 4 * e.getValue().size();
        }
        ByteBuffer b = ByteBuffer.allocate(size).putShort(VERSION).putLong(m.producerId()).putShort(m.producerEpoch())
                .putInt(m.timeoutMs()).put(m.state().id());
        if (m.state() == TxnState.EMPTY) {
            b.putInt(-1);
        } else {
            b.putInt(byTopic.size());
            byTopic.forEach((topic, partitions) -> {
                byte[] name = topic.getBytes(StandardCharsets.UTF_8);
                b.putShort((short) name.length).put(name).putInt(partitions.size());
                partitions.forEach(b::putInt);
            });
        }
        return b.putLong(m.lastUpdateTimestampMs()).putLong(m.startTimestampMs()).flip();
    }

    /** The transactional id of a key, or null if the key is not a TransactionLogKey v0. */
    static String readKey(ByteBuffer key) {
        try {
            ByteBuffer b = key.duplicate();
            return b.getShort() == VERSION ? readString(b) : null;
        } catch (BufferUnderflowException e) {
            return null;
        }
    }

    /** The metadata in a value, or null for a tombstone; throws IllegalArgumentException for a malformed one. */
    static TxnMetadata readValue(String transactionalId, ByteBuffer value) {
        if (value == null) {
            return null;
        }
        try {
            ByteBuffer b = value.duplicate();
            short version = b.getShort();
            if (version != VERSION && version != 1) {
                throw new IllegalArgumentException("unknown TransactionLogValue version " + version);
            }
            long producerId = b.getLong();
            short epoch = b.getShort();
            int timeoutMs = b.getInt();
            TxnState state = TxnState.ofId(b.get());
            Set<TopicPartition> partitions = new LinkedHashSet<>();
            int topics = version == 1 ? readUnsignedVarint(b) - 1 : b.getInt();
            for (int t = 0; t < topics; t++) {
                String topic = version == 1 ? readCompactString(b) : readString(b);
                int count = version == 1 ? readUnsignedVarint(b) - 1 : b.getInt();
                for (int p = 0; p < count; p++) {
                    partitions.add(new TopicPartition(topic, b.getInt()));
                }
                if (version == 1) {
                    skipTaggedFields(b);
                }
            }
            long lastUpdate = b.getLong();
            long start = b.getLong();
            return new TxnMetadata(transactionalId, producerId, epoch, timeoutMs, state, partitions, start, lastUpdate);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("truncated TransactionLogValue of " + transactionalId, e);
        }
    }

    private static String readString(ByteBuffer b) {
        short length = b.getShort();
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // Version 1 (flexible, written by Kafka brokers using transaction.version 2) is read for compatibility only.

    private static String readCompactString(ByteBuffer b) {
        int length = readUnsignedVarint(b) - 1;
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void skipTaggedFields(ByteBuffer b) {
        int fields = readUnsignedVarint(b);
        for (int i = 0; i < fields; i++) {
            readUnsignedVarint(b);
            int size = readUnsignedVarint(b);
            b.position(b.position() + size);
        }
    }

    private static int readUnsignedVarint(ByteBuffer b) {
        int value = 0;
        int shift = 0;
        byte next;
        do {
            next = b.get();
            value |= (next & 0x7f) << shift;
            shift += 7;
        } while ((next & 0x80) != 0 && shift < 35);
        return value;
    }
}
