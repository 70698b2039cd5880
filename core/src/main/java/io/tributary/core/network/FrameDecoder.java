package io.tributary.core.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Splits a connection's byte stream into Kafka's frames (a 4-byte size, then that many bytes) with at most one
 * copy. The decoder takes the socket's reads straight from Netty, pooled and off-heap, instead of Vert.x's heap
 * copy of every read: a frame that lies within one read is a retained slice of it, one that spans reads is
 * gathered into a pooled buffer of exactly its size. Either way the frame is pooled memory that belongs to the
 * sink, which releases it once nothing reads it any more; a produce request's batches therefore go from the
 * socket to the segment file without touching the heap.
 *
 * <p>Pausing the socket stops Netty's reads only after the read in progress, so while paused the decoder hands
 * on nothing and keeps the rest of that read for {@link #resume}. Used on the connection's event loop only; for
 * client connections to this broker and for followers' connections to their leaders.
 */
public final class FrameDecoder {

    /** Where frames go. */
    public interface Sink {

        /** Whether a frame of this size may follow; false stops the decoder (the connection is being closed). */
        boolean acceptSize(int size);

        /** A whole frame, without its size prefix. The sink owns it and must release it once done with it. */
        void frame(ByteBuf frame);

        /** No memory for a frame of this size (the direct memory limit); the decoder has stopped. */
        void outOfMemory(int size, OutOfMemoryError error);
    }

    private final Sink sink;
    private final ByteBufAllocator allocator;
    /** Reads not decoded yet: those that arrived, or were cut short, while paused. */
    private final ArrayDeque<ByteBuf> backlog = new ArrayDeque<>();
    /** The size prefix read so far, when a read ended inside it. */
    private int size;
    private int sizeBytesRead;
    /** The frame being gathered from several reads, and how many of its bytes are still to come. */
    private ByteBuf gathering;
    private int missing;
    private boolean paused;
    private boolean stopped;
    private boolean draining;

    public FrameDecoder(ByteBufAllocator allocator, Sink sink) {
        this.allocator = allocator;
        this.sink = sink;
    }

    /** A decoder fed by {@code socket}'s raw reads; the socket's own {@code handler} is no longer called. */
    public static FrameDecoder attach(NetSocket socket, Sink sink) {
        NetSocketInternal raw = (NetSocketInternal) socket;
        FrameDecoder decoder = new FrameDecoder(raw.channelHandlerContext().alloc(), sink);
        raw.messageHandler(decoder::receive);
        return decoder;
    }

    /** A frame as a Vert.x buffer, sharing its bytes (and its reference count). */
    public static Buffer asBuffer(ByteBuf frame) {
        return BufferInternal.buffer(frame);
    }

    /** A frame's bytes for decoding, without copying them. Valid for as long as the frame is. */
    public static ByteBuffer view(Buffer frame) {
        return ((BufferInternal) frame).getByteBuf().nioBuffer();
    }

    /** Takes one read of the socket (and ownership of it). */
    public void receive(Object message) {
        if (!(message instanceof ByteBuf chunk)) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (stopped) {
            chunk.release();
            return;
        }
        backlog.add(chunk);
        drain();
    }

    /** Hands on no more frames until {@link #resume}. */
    public void pause() {
        paused = true;
    }

    /** Hands on what arrived while paused, until the sink pauses again. */
    public void resume() {
        paused = false;
        drain();
    }

    /** Stops decoding and releases what is held: the connection is gone. */
    public void close() {
        stopped = true;
        releaseHeld();
    }

    /**
     * Decodes the backlog in order. A sink may pause and resume the decoder from within {@code frame} (a request
     * answered at once frees its in-flight slot); that inner resume leaves the decoding to the drain already
     * running, so a later read is never decoded before the rest of an earlier one.
     */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (!paused && !stopped && !backlog.isEmpty()) {
                decode(backlog.poll());
            }
        } finally {
            draining = false;
        }
    }

    private void decode(ByteBuf chunk) {
        try {
            while (chunk.isReadable() && !stopped) {
                if (paused) {
                    backlog.addFirst(chunk.retain());
                    return;
                }
                if (gathering != null) {
                    int n = Math.min(missing, chunk.readableBytes());
                    gathering.writeBytes(chunk, n);
                    missing -= n;
                    if (missing == 0) {
                        ByteBuf frame = gathering;
                        gathering = null;
                        sink.frame(frame);
                    }
                    continue;
                }
                if (sizeBytesRead == 0 && chunk.readableBytes() >= 4) {
                    size = chunk.readInt();
                } else {
                    size = size << 8 | chunk.readUnsignedByte();
                    if (++sizeBytesRead < 4) {
                        continue;
                    }
                }
                sizeBytesRead = 0;
                int frameSize = size;
                size = 0;
                if (!sink.acceptSize(frameSize)) {
                    stopped = true;
                    releaseHeld();
                    return;
                }
                if (chunk.readableBytes() >= frameSize) {
                    sink.frame(chunk.readRetainedSlice(frameSize));
                } else {
                    try {
                        gathering = allocator.directBuffer(frameSize, frameSize);
                    } catch (OutOfMemoryError e) {
                        stopped = true;
                        releaseHeld();
                        sink.outOfMemory(frameSize, e);
                        return;
                    }
                    missing = frameSize;
                }
            }
        } finally {
            chunk.release();
        }
    }

    private void releaseHeld() {
        if (gathering != null) {
            gathering.release();
            gathering = null;
        }
        ByteBuf held;
        while ((held = backlog.poll()) != null) {
            held.release();
        }
    }
}
