package io.tributary.gateway.http;

import io.tributary.core.api.StoredRecord;
import io.vertx.core.http.HttpServerResponse;

/**
 * Server-Sent Events over a chunked response: each record is one event whose id is its stream position and
 * whose data is the record as JSON. Idle streams get a comment line now and then so proxies keep them open.
 */
final class SseSink implements StreamSink {

    private final HttpServerResponse response;
    private final ValueCodec codec;

    SseSink(HttpServerResponse response, ValueCodec codec) {
        this.response = response;
        this.codec = codec;
    }

    /** Sends the headers; the browser's EventSource is connected from here on. */
    void open() {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .writeHead();
        response.write(": connected\n\n");
    }

    @Override
    public void send(StoredRecord record, String eventId) {
        if (!response.closed()) {
            response.write("id: " + eventId + "\ndata: " + RecordJson.encode(record, codec).encode() + "\n\n");
        }
    }

    void heartbeat() {
        if (!response.closed() && !response.writeQueueFull()) {
            response.write(": keep-alive\n\n");
        }
    }

    @Override
    public boolean writeQueueFull() {
        return response.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable drained) {
        response.drainHandler(v -> {
            response.drainHandler(null);
            drained.run();
        });
    }

    @Override
    public void fail(Throwable cause) {
        if (!response.closed()) {
            response.write("event: error\ndata: " + ErrorMapping.toHttpError(cause).getMessage().replace('\n', ' ') + "\n\n");
            response.end();
        }
    }
}
