package io.tributary.core.protocol.replica;

import io.tributary.core.network.FrameDecoder;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.ResponseHeader;

import java.nio.ByteBuffer;

/**
 * The client side of the Fetch API as followers use it: v12, the last version that names topics and carries the
 * replica id in the request, with last_fetched_epoch in and diverging_epoch out (KIP-320 truncation).
 */
final class FetchCodec {

    static final short VERSION = 12;

    private FetchCodec() {
    }

    static Buffer encode(int correlationId, String clientId, FetchRequestData body) {
        return RequestCodec.encode(ApiKeys.FETCH, VERSION, correlationId, clientId, body);
    }

    /** Decodes a response frame (without its size prefix); the records stay views of the frame's bytes. */
    static Response decode(Buffer frame) {
        ByteBuffer buffer = FrameDecoder.view(frame);
        ResponseHeader header = ResponseHeader.parse(buffer, ApiKeys.FETCH.responseHeaderVersion(VERSION));
        FetchResponseData body = new FetchResponseData(new ByteBufferAccessor(buffer), VERSION);
        return new Response(header.correlationId(), body);
    }

    record Response(int correlationId, FetchResponseData body) {
    }
}
