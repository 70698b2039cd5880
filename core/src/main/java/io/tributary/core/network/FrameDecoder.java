package io.tributary.core.network;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.ByteBuffer;

/**
 * Splits a connection's byte stream into Kafka's frames (a 4-byte size, then that many bytes) with at most one
 * copy: a frame that lies within one received chunk is handed on as a slice of that chunk, one that spans chunks
 * is gathered into a buffer of exactly its size. Vert.x hands every chunk over as its own heap copy of the socket's
 * bytes and never reuses it, so a slice stays valid for as long as the request needs it. (Vert.x's RecordParser
 * copied every frame twice, growing its buffer by doubling on the way.) Used on the connection's event loop only;
 * for client connections to this broker and for followers' connections to their leaders.
 */
public final class FrameDecoder implements Handler<Buffer> {

    /** Where frames go. */
    public interface Sink {

        /** Whether a frame of this size may follow; false stops the decoder (the connection is being closed). */
        boolean acceptSize(int size);

        void frame(Buffer frame);
    }

    private final Sink sink;
    /** The size prefix read so far, when a chunk ended inside it. */
    private int size;
    private int sizeBytesRead;
    /** The frame being gathered from several chunks, and how many of its bytes are still to come. */
    private Buffer gathering;
    private int missing;
    private boolean stopped;

    public FrameDecoder(Sink sink) {
        this.sink = sink;
    }

    /** A frame's bytes for decoding, without copying them: every frame this decoder hands on is its own. */
    public static ByteBuffer view(Buffer frame) {
        ByteBuffer buffer = ((BufferInternal) frame).getByteBuf().nioBuffer();
        return buffer.hasArray() ? buffer : ByteBuffer.wrap(frame.getBytes());
    }

    @Override
    public void handle(Buffer chunk) {
        int pos = 0;
        int end = chunk.length();
        while (pos < end && !stopped) {
            if (gathering != null) {
                int n = Math.min(missing, end - pos);
                gathering.appendBuffer(chunk, pos, n);
                pos += n;
                missing -= n;
                if (missing == 0) {
                    Buffer frame = gathering;
                    gathering = null;
                    sink.frame(frame);
                }
                continue;
            }
            if (sizeBytesRead == 0 && end - pos >= 4) {
                size = chunk.getInt(pos);
                pos += 4;
            } else {
                size = size << 8 | (chunk.getByte(pos++) & 0xFF);
                if (++sizeBytesRead < 4) {
                    continue;
                }
            }
            sizeBytesRead = 0;
            int frameSize = size;
            size = 0;
            if (!sink.acceptSize(frameSize)) {
                stopped = true;
                return;
            }
            if (end - pos >= frameSize) {
                Buffer frame = chunk.slice(pos, pos + frameSize);
                pos += frameSize;
                sink.frame(frame);
            } else {
                gathering = Buffer.buffer(frameSize);
                missing = frameSize;
            }
        }
    }
}
