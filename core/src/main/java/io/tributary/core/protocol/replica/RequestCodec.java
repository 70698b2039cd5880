package io.tributary.core.protocol.replica;

import io.netty.buffer.Unpooled;
import io.tributary.core.network.FrameDecoder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

import java.nio.ByteBuffer;

/** The client side of the Kafka protocol as followers speak it: size-prefixed requests out, responses in. */
final class RequestCodec {

    private RequestCodec() {
    }

    static Buffer encode(ApiKeys api, short version, int correlationId, String clientId, ApiMessage body) {
        RequestHeader header = new RequestHeader(api, version, clientId, correlationId);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = header.headerVersion();
        int size = header.data().size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer out = ByteBuffer.allocate(4 + size);
        out.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(out);
        header.data().write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        out.flip();
        return BufferInternal.buffer(Unpooled.wrappedBuffer(out));
    }

    /** The body of a response frame (without its size prefix), positioned after the response header. */
    static ByteBufferAccessor body(Buffer frame, ApiKeys api, short version) {
        ByteBuffer buffer = FrameDecoder.view(frame);
        ResponseHeader.parse(buffer, api.responseHeaderVersion(version));
        return new ByteBufferAccessor(buffer);
    }
}
