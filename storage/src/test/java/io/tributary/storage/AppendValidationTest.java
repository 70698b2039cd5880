package io.tributary.storage;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;

import static io.tributary.storage.LogTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Refused appends carry the right error and leave no trace in the log. */
class AppendValidationTest {
    @TempDir
    Path dir;
    PartitionLog log;

    @BeforeEach
    void open() throws Exception {
        log = PartitionLog.open(dir, smallConfig().withMaxMessageBytes(2000), new MutableClock(T0));
        log.append(batch(T0, 2), 0); // something already there, to prove nothing more is added
    }

    @AfterEach
    void close() throws Exception {
        log.close();
    }

    private void assertRefused(ByteBuffer records, LogError error, String messagePart) {
        long end = log.logEndOffset();
        long size = log.sizeInBytes();
        assertThatThrownBy(() -> log.append(records, 0))
                .isInstanceOfSatisfying(LogException.class, e -> assertThat(e.error()).isEqualTo(error))
                .hasMessageContaining(messagePart);
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.sizeInBytes()).isEqualTo(size);
    }

    @Test
    void corruptCrcIsRefused() {
        ByteBuffer b = batch(T0, 3);
        b.put(b.limit() - 1, (byte) (b.get(b.limit() - 1) ^ 1));
        assertRefused(b, LogError.CORRUPT_MESSAGE, "CRC");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void oldMessageFormatsAreRefused(int magic) {
        assertRefused(legacyMessage((byte) magic), LogError.UNSUPPORTED_MAGIC,
                "record batch magic v" + magic + " is not supported; only v2 (Kafka 0.11+)");
    }

    @Test
    void recordCountMustMatchTheOffsetDelta() {
        ByteBuffer b = batch(T0, 3);
        b.putInt(57, 4);
        fixCrc(b);
        assertRefused(b, LogError.INVALID_RECORD, "claims 4 records");
    }

    @Test
    void clientsMayNotWriteControlBatches() {
        assertRefused(commitMarker(7L, 0), LogError.INVALID_RECORD, "control batches");
    }

    @Test
    void oversizedBatchIsRefused() {
        assertRefused(batch(T0, 1, 3000), LogError.MESSAGE_TOO_LARGE, "max.message.bytes");
    }

    @Test
    void idempotentBatchNeedsASequence() {
        ByteBuffer b = idempotent(5L, 0, 0, 1);
        b.putInt(53, -1);
        fixCrc(b);
        assertRefused(b, LogError.INVALID_RECORD, "base sequence -1");
    }

    @Test
    void truncatedBatchIsRefused() {
        ByteBuffer b = batch(T0, 3);
        assertRefused(b.limit(b.limit() - 5), LogError.CORRUPT_MESSAGE, "incomplete");
    }

    @Test
    void emptyAppendIsRefused() {
        assertRefused(ByteBuffer.allocate(0), LogError.INVALID_RECORD, "no record batches");
    }

    @Test
    void oneBadBatchRefusesTheWholeAppend() {
        ByteBuffer bad = batch(T0, 1);
        bad.put(bad.limit() - 1, (byte) 0x7f);
        assertRefused(concat(batch(T0, 2), batch(T0, 2), bad), LogError.CORRUPT_MESSAGE, "CRC");
    }

    @Test
    void aRefusedAppendDoesNotTouchProducerState() throws Exception {
        ByteBuffer bad = idempotent(9L, 0, 0, 1);
        bad.put(bad.limit() - 1, (byte) 0x7f);
        ByteBuffer good = idempotent(9L, 0, 0, 2);
        assertRefused(concat(good, bad), LogError.CORRUPT_MESSAGE, "CRC");
        assertThat(log.producerState().entry(9L)).isNull();
        assertThat(log.append(idempotent(9L, 0, 0, 2), 0).duplicate()).isFalse();
    }

    /** A v0 or v1 message (Kafka before 0.11): offset, size, crc, magic, attributes, [timestamp], key, value. */
    private static ByteBuffer legacyMessage(byte magic) {
        byte[] value = "legacy".getBytes();
        int body = 1 + 1 + (magic == 1 ? 8 : 0) + 4 + 4 + value.length;
        ByteBuffer b = ByteBuffer.allocate(12 + 4 + body);
        b.putLong(0L).putInt(4 + body).putInt(0).put(magic).put((byte) 0);
        if (magic == 1) b.putLong(T0);
        b.putInt(-1).putInt(value.length).put(value);
        CRC32 crc = new CRC32();
        crc.update(b.array(), 16, body);
        b.putInt(12, (int) crc.getValue());
        return b.flip();
    }
}
