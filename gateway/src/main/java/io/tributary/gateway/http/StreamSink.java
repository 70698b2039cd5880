package io.tributary.gateway.http;

import io.tributary.core.api.StoredRecord;

/** Where a {@link TopicTail} delivers records: a Server-Sent Events response or a WebSocket. */
interface StreamSink {

    void send(StoredRecord record, String eventId);

    /** True while the connection's write queue is over its limit: the tail stops reading until drained. */
    boolean writeQueueFull();

    /** Called once when the write queue has drained below its limit again. */
    void onDrain(Runnable drained);

    /** Ends the stream after a failure the tail cannot recover from. */
    void fail(Throwable cause);
}
