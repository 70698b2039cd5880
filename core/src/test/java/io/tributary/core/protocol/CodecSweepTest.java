package io.tributary.core.protocol;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every advertised version of every implemented API survives an encode/decode round trip, both as
 * request and as response, and every advertised version is one the codec can decode.
 */
class CodecSweepTest {

    @TestFactory
    List<DynamicTest> everyAdvertisedVersionRoundTrips() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ApiKeys api : ApiVersionTable.apis()) {
            ApiVersionTable.Range range = ApiVersionTable.range(api);
            for (short v = range.minParsable(); v <= range.max(); v++) {
                short version = v;
                tests.add(DynamicTest.dynamicTest(api + " v" + version, () -> {
                    ApiMessageType type = ApiMessageType.fromApiKey(api.id);
                    ApiMessage request = type.newRequest();
                    if (api == ApiKeys.DESCRIBE_ACLS) {
                        // All-zero filter fields mean UNKNOWN, which DescribeAclsRequest refuses: use ANY.
                        request = new org.apache.kafka.common.message.DescribeAclsRequestData()
                                .setResourceTypeFilter((byte) 1).setPatternTypeFilter((byte) 1)
                                .setOperation((byte) 1).setPermissionType((byte) 1);
                    }
                    assertThat(roundTrip(request, version, type, true)).isEqualTo(request);
                    ApiMessage response = type.newResponse();
                    assertThat(roundTrip(response, version, type, false)).isEqualTo(response);
                    assertRequestParses(api, version, request);
                }));
            }
        }
        return tests;
    }

    @Test
    void advertisedRangesAreWithinWhatTheCodecKnows() {
        for (ApiKeys api : ApiVersionTable.apis()) {
            ApiVersionTable.Range range = ApiVersionTable.range(api);
            assertThat(range.minParsable()).as(api + " lowest parsable").isGreaterThanOrEqualTo(api.oldestVersion());
            assertThat(range.max()).as(api + " highest").isLessThanOrEqualTo(api.latestVersion());
            assertThat(range.min()).as(api + " lowest advertised").isLessThanOrEqualTo(range.minParsable());
        }
    }

    @Test
    void legacyFloorsThatLibrdkafkaChecksAreAdvertised() {
        assertThat(ApiVersionTable.range(ApiKeys.PRODUCE).min()).isZero();
        assertThat(ApiVersionTable.range(ApiKeys.INIT_PRODUCER_ID).min()).isZero();
        assertThat(ApiVersionTable.range(ApiKeys.LIST_OFFSETS).min()).isEqualTo((short) 1);
        assertThat(ApiVersionTable.range(ApiKeys.METADATA).min()).isZero();
        for (ApiKeys group : List.of(ApiKeys.FIND_COORDINATOR, ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP,
                ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP)) {
            assertThat(ApiVersionTable.range(group).min()).as(group.name).isZero();
        }
        assertThat(ApiVersionTable.range(ApiKeys.OFFSET_FETCH).min()).isEqualTo((short) 1);
    }

    @Test
    void everyAdvertisedApiHasAHandler() {
        HandlerRegistry registry = new HandlerRegistry();
        for (ApiKeys api : ApiVersionTable.apis()) {
            assertThat(registry.<AbstractRequest>get(api)).as(api.name).isNotNull();
        }
    }

    private static ApiMessage roundTrip(ApiMessage message, short version, ApiMessageType type, boolean request) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = message.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        message.write(new ByteBufferAccessor(buffer), cache, version);
        assertThat(buffer.remaining()).as("size() matches what write() wrote").isZero();
        buffer.flip();
        ApiMessage decoded = request ? type.newRequest() : type.newResponse();
        ((Message) decoded).read(new ByteBufferAccessor(buffer), version);
        return decoded;
    }

    /** The same bytes, framed with a header, go through the broker's decoding path. */
    private static void assertRequestParses(ApiKeys api, short version, ApiMessage body) {
        RequestHeader header = new RequestHeader(api, version, "sweep", 7);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.data().size(cache, header.headerVersion()) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        ByteBufferAccessor out = new ByteBufferAccessor(buffer);
        header.data().write(out, cache, header.headerVersion());
        body.write(out, cache, version);
        buffer.flip();
        RequestHeader parsed = RequestHeader.parse(buffer);
        assertThat(parsed.apiKey()).isEqualTo(api);
        assertThat(parsed.correlationId()).isEqualTo(7);
        AbstractRequest request = AbstractRequest.parseRequest(api, version, new ByteBufferAccessor(buffer)).request;
        ApiMessage expected = body;
        if (api == ApiKeys.JOIN_GROUP && version == 0) {
            // JoinGroupRequest gives v0 (which has no rebalance timeout) the session timeout as rebalance timeout.
            JoinGroupRequestData join = (JoinGroupRequestData) body;
            expected = join.duplicate().setRebalanceTimeoutMs(join.sessionTimeoutMs());
        }
        assertThat(request.data()).isEqualTo(expected);
    }
}
