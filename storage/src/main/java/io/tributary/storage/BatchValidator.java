package io.tributary.storage;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

import static io.tributary.storage.BatchLayout.*;

/**
 * Kafka's per-batch produce checks (LogValidator / UnifiedLog.analyzeAndValidateRecords) on the raw header,
 * cheapest first. Owned by one log, so it reuses one CRC32C.
 */
final class BatchValidator {
    private static final int MAX_CODEC_ID = 4;

    private final CRC32C crc = new CRC32C();
    private final int maxMessageBytes;

    BatchValidator(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    CRC32C crc() {
        return crc;
    }

    /**
     * Checks the client batch at {@code at}, which must end by {@code end}.
     *
     * @return the size of the batch in bytes
     */
    int validate(ByteBuffer b, int at, int end) throws LogException {
        return validate(b, at, end, false);
    }

    /**
     * Checks a batch at {@code at} ending by {@code end}; with {@code replicated} it was copied from the leader's
     * log, so control batches (transaction markers, written by the leader) are allowed.
     *
     * @return the size of the batch in bytes
     */
    int validate(ByteBuffer b, int at, int end, boolean replicated) throws LogException {
        int remaining = end - at;
        if (remaining < LOG_OVERHEAD) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "record batch at byte " + at + " is incomplete: "
                    + remaining + " trailing bytes cannot hold the 12-byte offset and length prefix");
        }
        long size = (long) b.getInt(at + LENGTH) + LOG_OVERHEAD;
        if (size > remaining) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "record batch at byte " + at + " is incomplete: it declares "
                    + size + " bytes but only " + remaining + " remain");
        }
        if (size < HEADER_SIZE_UP_TO_MAGIC) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "record batch at byte " + at + " declares " + size
                    + " bytes, too small to be a record batch");
        }
        byte magic = magic(b, at);
        if (magic != MAGIC_V2) {
            throw new LogException(LogError.UNSUPPORTED_MAGIC,
                    String.format("record batch magic v%d is not supported; only v2 (Kafka 0.11+)", magic));
        }
        if (size < HEADER_SIZE) {
            throw new LogException(LogError.CORRUPT_MESSAGE, "record batch at byte " + at + " declares " + size
                    + " bytes, smaller than the " + HEADER_SIZE + "-byte v2 header");
        }
        if (size > maxMessageBytes) {
            throw new LogException(LogError.MESSAGE_TOO_LARGE, "record batch of " + size
                    + " bytes exceeds max.message.bytes (" + maxMessageBytes + ")");
        }
        int intSize = (int) size;
        long computed = computeCrc(crc, b, at, intSize);
        long stored = storedCrc(b, at);
        if (computed != stored) {
            throw new LogException(LogError.CORRUPT_MESSAGE, String.format(
                    "record batch is corrupt: stored CRC %08x does not match computed CRC-32C %08x", stored, computed));
        }
        int delta = lastOffsetDelta(b, at);
        int count = recordsCount(b, at);
        if (count <= 0 || delta < 0 || (long) delta + 1 != count) {
            throw new LogException(LogError.INVALID_RECORD, "record batch claims " + count
                    + " records but its lastOffsetDelta " + delta + " spans " + ((long) delta + 1) + " offsets");
        }
        short attrs = attributes(b, at);
        boolean control = (attrs & CONTROL_FLAG) != 0;
        if (control && !replicated) {
            throw new LogException(LogError.INVALID_RECORD,
                    "control batches are written by the transaction coordinator, clients may not produce them");
        }
        if ((attrs & COMPRESSION_MASK) > MAX_CODEC_ID) {
            throw new LogException(LogError.INVALID_RECORD,
                    "record batch uses unknown compression codec id " + (attrs & COMPRESSION_MASK));
        }
        long producerId = producerId(b, at);
        if (producerId > NO_PRODUCER_ID && !control && baseSequence(b, at) < 0) {
            throw new LogException(LogError.INVALID_RECORD, "record batch from idempotent producer " + producerId
                    + " has invalid base sequence " + baseSequence(b, at));
        }
        return intSize;
    }
}
