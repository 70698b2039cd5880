package io.tributary.core.group;

import java.util.List;

/** Writes a shard's records to its log as one batch, so a change is stored whole or not at all. */
final class ShardWriter {

    private final ShardLog log;
    private final BatchCodec codec;
    private final Scheduler clock;
    private final String name;

    ShardWriter(ShardLog log, BatchCodec codec, Scheduler clock, String name) {
        this.log = log;
        this.codec = codec;
        this.clock = clock;
        this.name = name;
    }

    void write(List<KeyValue> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            log.append(codec.encode(records, clock.nowMs()));
        } catch (Exception e) {
            throw new CoordinatorWriteException("Could not write to " + name + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code records} as a transactional batch of a producer; they count only once its commit marker is in. */
    void writeTransactional(List<KeyValue> records, long producerId, short epoch) {
        try {
            log.appendTransactional(codec.encodeTransactional(records, clock.nowMs(), producerId, epoch));
        } catch (Exception e) {
            throw new CoordinatorWriteException("Could not write to " + name + ": " + e.getMessage(), e);
        }
    }

    /** Writes the marker deciding a producer's transactional records in this log. */
    void writeMarker(long producerId, short epoch, boolean commit) {
        try {
            log.appendMarker(producerId, epoch, commit);
        } catch (Exception e) {
            throw new CoordinatorWriteException("Could not write a marker to " + name + ": " + e.getMessage(), e);
        }
    }

    void write(KeyValue record) {
        write(List.of(record));
    }
}
