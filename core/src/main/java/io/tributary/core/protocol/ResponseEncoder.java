package io.tributary.core.protocol;

import io.netty.buffer.Unpooled;
import io.tributary.core.network.ResponseFrame;
import org.apache.kafka.common.message.FetchResponseData;
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

    public static ResponseFrame encode(RequestHeader request, ApiMessage body) {
        return encode(request.toResponseHeader(), body, request.apiVersion());
    }

    public static ResponseFrame encode(ResponseHeader header, ApiMessage body, short version) {
        // size() must run before write() with the same cache: it caches the UTF-8 bytes of strings.
        ObjectSerializationCache cache = new ObjectSerializationCache();
        short headerVersion = header.headerVersion();
        if (body.apiKey() == ApiKeys.FETCH.id) {
            // Fetch responses carry record bytes read from the log (copies) or left in it (segment slices):
            // reference them, do not copy. The size prefix covers the file regions too.
            CompositeWritable writable = null;
            try {
                int size = header.data().size(cache, headerVersion) + body.size(cache, version);
                writable = new CompositeWritable(4 + size);
                writable.writeInt(size);
                header.data().write(writable, cache, headerVersion);
                body.write(writable, cache, version);
                return ResponseFrame.of(writable.finish());
            } catch (RuntimeException e) {
                if (writable != null) writable.discard();
                releaseSegmentRecords(body);
                throw e;
            }
        }
        int size = header.data().size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer out = ByteBuffer.allocate(4 + size);
        out.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(out);
        header.data().write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        out.flip();
        return ResponseFrame.of(io.vertx.core.internal.buffer.BufferInternal.buffer(Unpooled.wrappedBuffer(out)));
    }

    /** Gives back the segment files a fetch response holds, when it will not be written. */
    public static void releaseSegmentRecords(ApiMessage body) {
        if (!(body instanceof FetchResponseData fetch)) return;
        for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                if (partition.records() instanceof SegmentRecords records) records.release();
            }
        }
    }
}
