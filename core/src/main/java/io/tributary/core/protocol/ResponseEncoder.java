package io.tributary.core.protocol;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

import java.nio.ByteBuffer;

/** Encodes a response frame (size prefix, response header, body) with Kafka's generated codec. */
public final class ResponseEncoder {

    private ResponseEncoder() {
    }

    public static Buffer encode(RequestHeader request, ApiMessage body) {
        return encode(request.toResponseHeader(), body, request.apiVersion());
    }

    public static Buffer encode(ResponseHeader header, ApiMessage body, short version) {
        // size() must run before write() with the same cache: it caches the UTF-8 bytes of strings.
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = header.headerVersion();
        int size = header.data().size(cache, headerVersion) + body.size(cache, version);
        if (body.apiKey() == ApiKeys.FETCH.id) {
            // Fetch responses carry the record bytes read from the log: reference them, do not copy.
            CompositeWritable writable = new CompositeWritable(4 + size);
            writable.writeInt(size);
            header.data().write(writable, cache, headerVersion);
            body.write(writable, cache, version);
            return BufferInternal.buffer(writable.finish());
        }
        ByteBuffer out = ByteBuffer.allocate(4 + size);
        out.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(out);
        header.data().write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        out.flip();
        return BufferInternal.buffer(Unpooled.wrappedBuffer(out));
    }
}
