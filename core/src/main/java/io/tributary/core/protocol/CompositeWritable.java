package io.tributary.core.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.utils.ByteUtils;

import java.nio.ByteBuffer;

/**
 * A {@link Writable} that builds a response as a Netty composite buffer: the small fields go into heap
 * chunks, and record sets of at least {@link #ZERO_COPY_MIN} bytes are added as components by
 * reference instead of being copied. The record buffers must not change until the response has been
 * written to the socket (fetch reads are private copies, so they do not).
 */
final class CompositeWritable implements Writable {

    static final int ZERO_COPY_MIN = 1024;
    private static final int CHUNK = 1024;

    private final CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    /** Bytes still to be written, to size the chunks. */
    private int remaining;
    private ByteBuffer chunk;
    private ByteBufferAccessor accessor;

    CompositeWritable(int totalSize) {
        this.remaining = totalSize;
    }

    /** Seals the last chunk and returns the whole response; writing more afterwards is an error. */
    ByteBuf finish() {
        seal();
        return out;
    }

    private ByteBufferAccessor ensure(int bytes) {
        if (chunk == null || chunk.remaining() < bytes) {
            seal();
            chunk = ByteBuffer.allocate(Math.max(bytes, Math.min(remaining, CHUNK)));
            accessor = new ByteBufferAccessor(chunk);
        }
        return accessor;
    }

    private void seal() {
        if (chunk != null && chunk.position() > 0) {
            int written = chunk.position();
            remaining -= written;
            out.addComponent(true, Unpooled.wrappedBuffer(chunk.array(), chunk.arrayOffset(), written));
        }
        chunk = null;
        accessor = null;
    }

    @Override
    public void writeByte(byte val) {
        ensure(1).writeByte(val);
    }

    @Override
    public void writeShort(short val) {
        ensure(2).writeShort(val);
    }

    @Override
    public void writeInt(int val) {
        ensure(4).writeInt(val);
    }

    @Override
    public void writeLong(long val) {
        ensure(8).writeLong(val);
    }

    @Override
    public void writeDouble(double val) {
        ensure(8).writeDouble(val);
    }

    @Override
    public void writeByteArray(byte[] arr) {
        ensure(arr.length).writeByteArray(arr);
    }

    @Override
    public void writeUnsignedVarint(int i) {
        ensure(ByteUtils.sizeOfUnsignedVarint(i)).writeUnsignedVarint(i);
    }

    @Override
    public void writeByteBuffer(ByteBuffer buf) {
        ensure(buf.remaining()).writeByteBuffer(buf);
    }

    @Override
    public void writeVarint(int i) {
        ensure(ByteUtils.sizeOfVarint(i)).writeVarint(i);
    }

    @Override
    public void writeVarlong(long i) {
        ensure(ByteUtils.sizeOfVarlong(i)).writeVarlong(i);
    }

    @Override
    public void writeUuid(Uuid uuid) {
        ByteBufferAccessor a = ensure(16);
        a.writeLong(uuid.getMostSignificantBits());
        a.writeLong(uuid.getLeastSignificantBits());
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof MemoryRecords memory && memory.sizeInBytes() >= ZERO_COPY_MIN) {
            seal();
            ByteBuffer data = memory.buffer().duplicate();
            remaining -= data.remaining();
            out.addComponent(true, Unpooled.wrappedBuffer(data));
        } else {
            Writable.super.writeRecords(records);
        }
    }
}
