package io.tributary.core.network;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Turns one request frame into its response frame. Implemented by the protocol layer. */
public interface RequestProcessor {

    /**
     * Processes one request; called on the connection's context, and the returned future must
     * complete there too.
     *
     * @param frame the request bytes after the 4-byte size prefix
     * @return the whole response frame including its size prefix (parts may be sent from segment files), or {@code null} when the request
     * expects no response (produce with acks=0). A future failed with {@link FramingException}
     * closes the connection.
     */
    Future<ResponseFrame> process(Buffer frame, ConnectionInfo connection);
}
