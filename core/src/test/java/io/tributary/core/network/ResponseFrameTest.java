package io.tributary.core.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.FileRegion;
import io.tributary.core.protocol.ResponseEncoder;
import io.tributary.core.protocol.SegmentRecords;
import io.tributary.storage.LogConfig;
import io.tributary.storage.PartitionLog;
import io.tributary.storage.ReadResult;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A fetch response with records left in the segment file encodes to exactly the bytes of the copying path. */
class ResponseFrameTest {

    @TempDir
    Path dir;

    @Test
    void fileRegionsMakeTheSameBytesAsCopiedRecordsAtEveryFetchVersion() throws Exception {
        try (PartitionLog log = PartitionLog.open(dir, LogConfig.DEFAULT, Clock.systemUTC())) {
            for (int b = 0; b < 5; b++) {
                SimpleRecord[] records = new SimpleRecord[3 + b];
                for (int i = 0; i < records.length; i++) {
                    records[i] = new SimpleRecord(("k" + i).getBytes(), ("value-" + b + "-" + i).repeat(40).getBytes());
                }
                log.append(MemoryRecords.withRecords(Compression.NONE, records).buffer(), 0);
            }
            for (short version = 4; version <= ApiKeys.FETCH.latestVersion(); version++) {
                ReadResult slice = log.readSlice(2, 1 << 20, true, Long.MAX_VALUE);
                ReadResult copied = log.read(2, 1 << 20, true, Long.MAX_VALUE);
                assertThat(slice.isSlice()).isTrue();
                byte[] expected = bytes(ResponseEncoder.encode(new ResponseHeader(7, ApiKeys.FETCH.responseHeaderVersion(version)),
                        response(() -> MemoryRecords.readableRecords(copied.records())), version));
                ResponseFrame frame = ResponseEncoder.encode(new ResponseHeader(7,
                        ApiKeys.FETCH.responseHeaderVersion(version)), response(() -> SegmentRecords.retain(slice)), version);
                assertThat(frame.hasFileRegions()).isTrue();
                assertThat(bytes(frame)).as("fetch v%d", version).isEqualTo(expected);
            }
        }
    }

    /** Two partitions with the same records, so a region sits between heap parts and one ends the frame. */
    private static FetchResponseData response(Supplier<BaseRecords> records) {
        FetchResponseData data = new FetchResponseData().setSessionId(0);
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse()
                .setTopic("t").setTopicId(Uuid.fromString("AAAAAAAAAAAAAAAAAAAAAQ"));
        for (int p = 0; p < 2; p++) {
            topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(p).setHighWatermark(20)
                    .setLastStableOffset(20).setLogStartOffset(0).setRecords(records.get()));
        }
        data.responses().add(topic);
        return data;
    }

    /** The frame as the socket would receive it; releases the parts as Netty would. */
    private static byte[] bytes(ResponseFrame frame) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WritableByteChannel channel = Channels.newChannel(out);
        for (Object part : frame.parts()) {
            if (part instanceof ByteBuf buf) {
                out.write(io.netty.buffer.ByteBufUtil.getBytes(buf));
            } else {
                FileRegion region = (FileRegion) part;
                while (region.transferred() < region.count()) {
                    region.transferTo(channel, region.transferred());
                }
            }
        }
        frame.release();
        return out.toByteArray();
    }
}
