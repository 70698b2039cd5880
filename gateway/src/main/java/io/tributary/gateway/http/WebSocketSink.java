package io.tributary.gateway.http;

import io.tributary.core.api.StoredRecord;
import io.vertx.core.http.ServerWebSocket;

/** A stream over a WebSocket: each record is one text message, the record as JSON with its stream id in "id". */
final class WebSocketSink implements StreamSink {

    private final ServerWebSocket socket;
    private final ValueCodec codec;

    WebSocketSink(ServerWebSocket socket, ValueCodec codec) {
        this.socket = socket;
        this.codec = codec;
    }

    @Override
    public void send(StoredRecord record, String eventId) {
        if (!socket.isClosed()) {
            socket.writeTextMessage(RecordJson.encode(record, codec).put("id", eventId).encode());
        }
    }

    @Override
    public boolean writeQueueFull() {
        return socket.writeQueueFull();
    }

    @Override
    public void onDrain(Runnable drained) {
        socket.drainHandler(v -> {
            socket.drainHandler(null);
            drained.run();
        });
    }

    @Override
    public void fail(Throwable cause) {
        if (!socket.isClosed()) {
            socket.close((short) 1011, ErrorMapping.toHttpError(cause).getMessage());
        }
    }
}
