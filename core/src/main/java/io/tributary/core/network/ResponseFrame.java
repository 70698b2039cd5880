package io.tributary.core.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.util.List;

/**
 * One response frame (its 4-byte size prefix included) as an ordered list of Netty messages: byte buffers, and
 * file regions that the transport sends straight from a segment file (sendfile on PLAINTEXT sockets). Written in
 * order on the connection's event loop; Netty releases each part once it is written or the socket is gone.
 */
public final class ResponseFrame {

    private final List<Object> parts;

    private ResponseFrame(List<Object> parts) {
        this.parts = parts;
    }

    public static ResponseFrame of(Buffer buffer) {
        return new ResponseFrame(List.of(((BufferInternal) buffer).getByteBuf()));
    }

    /** Parts in send order, each a {@link ByteBuf} or a {@link FileRegion}; ownership passes to the frame. */
    public static ResponseFrame of(List<Object> parts) {
        for (Object part : parts) {
            if (!(part instanceof ByteBuf) && !(part instanceof FileRegion)) {
                throw new IllegalArgumentException("not a frame part: " + part);
            }
        }
        return new ResponseFrame(List.copyOf(parts));
    }

    /** The parts, for tests. */
    List<Object> parts() {
        return parts;
    }

    /** Whether a part must be sent from a file (so the socket must not be TLS: no sendfile through SSL). */
    boolean hasFileRegions() {
        for (Object part : parts) {
            if (part instanceof FileRegion) return true;
        }
        return false;
    }

    /**
     * Queues every part on the socket, in order. A file region that cannot be sent (its segment was truncated
     * meanwhile) fails its write with an IOException, on which Netty closes this one connection: the frame is
     * already half sent, and the client retries the fetch elsewhere or on a new connection.
     */
    void writeTo(NetSocket socket) {
        for (Object part : parts) {
            if (part instanceof ByteBuf buf) {
                socket.write(BufferInternal.buffer(buf));
            } else {
                ((NetSocketInternal) socket).writeMessage(part);
            }
        }
    }

    /** Releases the parts of a frame that will never be written (its connection closed first). */
    void release() {
        for (Object part : parts) {
            ReferenceCountUtil.safeRelease(part);
        }
    }
}
