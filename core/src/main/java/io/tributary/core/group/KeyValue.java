package io.tributary.core.group;

import java.nio.ByteBuffer;

/** One record of the offsets log; a null value is a tombstone (the key's state is deleted). */
public record KeyValue(ByteBuffer key, ByteBuffer value) {
}
