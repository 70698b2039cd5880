package io.tributary.core.protocol;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.utils.ByteUtils;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Writable} that builds a response as Netty messages: the small fields go into heap chunks of a
 * composite buffer, record sets of at least {@link #ZERO_COPY_MIN} bytes in memory are added as components
 * by reference instead of being copied, and {@link SegmentRecords} end the composite and become a file
 * region, so their bytes go from the segment file to the socket. The result is the frame's parts in order.
 * The record buffers must not change until the response has been written to the socket (fetch reads are
 * private copies, so they do not).
 */
final class CompositeWritable implements Writable {

    static final int ZERO_COPY_MIN = 1024;
    private static final int CHUNK = 1024;

    private final List<Object> parts = new ArrayList<>(1);
    private CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    /** Bytes still to be written, to size the chunks. */
    private int remaining;
    private ByteBuffer chunk;
    private ByteBufferAccessor accessor;

    CompositeWritable(int totalSize) {
        this.remaining = totalSize;
    }

    /** Seals the last chunk and returns the whole response, in order; writing more afterwards is an error. */
    List<Object> finish() {
        seal();
        if (out.numComponents() > 0 || parts.isEmpty()) {
            parts.add(out);
        } else {
            out.release();
        }
        out = null;
        return parts;
    }

    /** Releases what was built so far, after a failure before {@link #finish()}. */
    void discard() {
        for (Object part : parts) {
            io.netty.util.ReferenceCountUtil.safeRelease(part);
        }
        parts.clear();
        if (out != null) {
            out.release();
        }
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
        if (records instanceof SegmentRecords file) {
            seal();
            remaining -= file.sizeInBytes();
            if (out.numComponents() > 0) {
                parts.add(out);
                out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
            }
            parts.add(file.toRegion());
        } else if (records instanceof MemoryRecords memory && memory.sizeInBytes() >= ZERO_COPY_MIN) {
            seal();
            ByteBuffer data = memory.buffer().duplicate();
            remaining -= data.remaining();
            out.addComponent(true, Unpooled.wrappedBuffer(data));
        } else {
            Writable.super.writeRecords(records);
        }
    }
}
