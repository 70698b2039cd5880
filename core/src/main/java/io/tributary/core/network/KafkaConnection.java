package io.tributary.core.network;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;

/**
 * One client connection: splits the byte stream into size-prefixed frames, hands each to the
 * processor, and writes responses strictly in request order (Kafka clients match a response to the
 * oldest request in flight). Reading pauses while too many requests are in flight or the socket's
 * write queue is full, so a fast client cannot make the broker buffer without bound.
 */
final class KafkaConnection {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);
    private static final int MAX_IN_FLIGHT = 100;
    private final int maxInFlight;

    private final NetSocket socket;
    private final RequestProcessor processor;
    private final ConnectionInfo info;
    private final int maxFrameBytes;
    private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
    private final FrameDecoder decoder;
    private boolean paused;
    private boolean draining;
    private boolean closed;
    private Promise<Void> idle;
    private final Runnable onClose;
    /** The event loop's context, for the timer that ends a quota throttle; null outside one. */
    private final io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    private boolean muted;

    KafkaConnection(NetSocket socket, RequestProcessor processor, ConnectionInfo info, int maxFrameBytes,
                    Runnable onClose) {
        this(socket, processor, info, maxFrameBytes, MAX_IN_FLIGHT, onClose);
    }

    KafkaConnection(NetSocket socket, RequestProcessor processor, ConnectionInfo info, int maxFrameBytes,
                    int maxInFlight, Runnable onClose) {
        this.maxInFlight = maxInFlight;
        this.onClose = onClose;
        this.socket = socket;
        this.processor = processor;
        this.info = info;
        this.maxFrameBytes = maxFrameBytes;
        this.decoder = FrameDecoder.attach(socket, new FrameDecoder.Sink() {
            @Override
            public boolean acceptSize(int size) {
                return acceptFrameSize(size);
            }

            @Override
            public void frame(ByteBuf frame) {
                if (closed) {
                    frame.release();
                } else {
                    handleFrame(frame);
                }
            }

            @Override
            public void outOfMemory(int size, OutOfMemoryError error) {
                closeForViolation("no memory for a request of " + size + " bytes (" + error.getMessage() + ")");
            }
        });
        socket.drainHandler(v -> updateFlowControl());
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> LOG.debug("Connection {} from {} failed: {}", info.connectionId(),
                info.remoteAddress(), e.toString()));
    }

    private boolean acceptFrameSize(int size) {
        if (closed) {
            return false;
        }
        if (size <= 0 || size > maxFrameBytes) {
            closeForViolation(size <= 0
                    ? "a request size of " + size + " bytes"
                    : "a request of " + size + " bytes, larger than socket.request.max.bytes=" + maxFrameBytes);
            return false;
        }
        return true;
    }

    /**
     * Processes one request. The frame is pooled memory and a produce request's batches are views of it, so it
     * is released only once the request is answered: every handler is done with its request by then.
     */
    private void handleFrame(ByteBuf frame) {
        Slot slot = new Slot();
        inFlight.add(slot);
        updateFlowControl();
        Future<ResponseFrame> response;
        try {
            response = processor.process(FrameDecoder.asBuffer(frame), info);
        } catch (RuntimeException e) {
            response = Future.failedFuture(e);
        }
        response.onComplete(ar -> {
            frame.release();
            if (ar.failed()) {
                if (ar.cause() instanceof FramingException) {
                    closeForViolation(ar.cause().getMessage());
                } else {
                    LOG.error("Unexpected failure processing a request on connection {}; closing it",
                            info.connectionId(), ar.cause());
                    close();
                }
                return;
            }
            slot.response = ar.result();
            slot.done = true;
            if (closed) {
                release(slot);
            }
            writeCompleted();
        });
    }

    private void writeCompleted() {
        while (!inFlight.isEmpty() && inFlight.peek().done) {
            Slot slot = inFlight.poll();
            if (slot.response != null && !closed) {
                write(slot.response);
            } else {
                release(slot);
            }
            mute(info.session().takeThrottleMs());
        }
        updateFlowControl();
        if (inFlight.isEmpty() && idle != null) {
            idle.tryComplete();
        }
    }

    private void write(ResponseFrame frame) {
        if (frame.hasFileRegions() && socket.isSsl()) {
            // Cannot happen (fetches on TLS listeners copy); sendfile would bypass the SSL engine.
            LOG.error("A response on TLS connection {} came with file regions; closing it", info.connectionId());
            frame.release();
            close();
            return;
        }
        frame.writeTo(socket);
    }

    private static void release(Slot slot) {
        if (slot.response != null) {
            slot.response.release();
            slot.response = null;
        }
    }

    private void updateFlowControl() {
        boolean shouldPause = draining || muted || inFlight.size() >= maxInFlight || socket.writeQueueFull();
        if (shouldPause && !paused) {
            paused = true;
            socket.pause();
            decoder.pause();
        } else if (!shouldPause && paused && !closed) {
            paused = false;
            decoder.resume(); // the rest of the read that was in progress when the socket paused
            if (!paused) {
                socket.resume();
            }
        }
    }

    /** A client over its quota reads nothing for {@code ms} once its answer is sent (Kafka's channel muting). */
    private void mute(long ms) {
        if (ms <= 0 || muted || context == null || closed) {
            return;
        }
        muted = true;
        context.owner().setTimer(ms, t -> {
            muted = false;
            updateFlowControl();
        });
    }

    /** Stops reading new requests and completes once every request already read is answered. */
    Future<Void> drain() {
        draining = true;
        updateFlowControl();
        if (inFlight.isEmpty() || closed) {
            return Future.succeededFuture();
        }
        if (idle == null) {
            idle = Promise.promise();
        }
        return idle.future();
    }

    void close() {
        if (!closed) {
            closed = true;
            socket.close();
        }
    }

    private void closeForViolation(String what) {
        LOG.warn("Closing connection {} from {} on listener {}: {}", info.connectionId(), info.remoteAddress(),
                info.listenerName(), what);
        close();
    }

    private void onClosed() {
        closed = true;
        decoder.close();
        // Answers still waiting for an earlier one are never written: let go of the segment files they hold.
        for (Slot slot : inFlight) {
            release(slot);
        }
        onClose.run();
        if (idle != null) {
            idle.tryComplete();
        }
    }

    boolean isClosed() {
        return closed;
    }

    private static final class Slot {
        ResponseFrame response;
        boolean done;
    }
}
