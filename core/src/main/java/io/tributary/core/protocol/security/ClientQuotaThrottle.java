package io.tributary.core.protocol.security;

import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.KafkaSession;
import io.tributary.core.security.quota.ClientQuotaManager;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Client byte-rate quotas on Produce (request bytes, producer_byte_rate) and consumer Fetch (record bytes returned,
 * consumer_byte_rate), as Kafka applies them: the answer is sent at once with throttle_time_ms, and the connection
 * reads nothing more for that long. Followers' fetches are never throttled.
 */
public final class ClientQuotaThrottle {

    private ClientQuotaThrottle() {
    }

    /** Measures the request and sets the throttle on {@code body} (null for acks=0) and the connection. */
    public static ApiMessage apply(RequestContext context, AbstractRequest request, int requestBytes, ApiMessage body) {
        ApiKeys api = context.header().apiKey();
        if (api != ApiKeys.PRODUCE && api != ApiKeys.FETCH) {
            return body;
        }
        KafkaSession session = context.connection().session();
        BrokerSecurity security = session.security();
        ClientQuotaManager quotas = security == null ? null : security.quotas();
        if (quotas == null || !quotas.active() || session.principal() == null) {
            return body;
        }
        String user = userName(session.principal());
        String clientId = context.header().clientId() == null ? "" : context.header().clientId();
        long now = System.currentTimeMillis();
        long throttleMs;
        if (api == ApiKeys.PRODUCE) {
            throttleMs = quotas.record(ClientQuotaManager.PRODUCER_BYTE_RATE, user, clientId, requestBytes, now);
            if (throttleMs > 0 && body instanceof ProduceResponseData produce) {
                produce.setThrottleTimeMs((int) Math.max(produce.throttleTimeMs(), throttleMs));
            }
        } else {
            if (((FetchRequest) request).replicaId() >= 0 || !(body instanceof FetchResponseData fetch)) {
                return body;
            }
            throttleMs = quotas.record(ClientQuotaManager.CONSUMER_BYTE_RATE, user, clientId, recordBytes(fetch), now);
            if (throttleMs > 0) {
                fetch.setThrottleTimeMs((int) Math.max(fetch.throttleTimeMs(), throttleMs));
            }
        }
        if (throttleMs > 0) {
            session.throttle(throttleMs);
        }
        return body;
    }

    private static long recordBytes(FetchResponseData fetch) {
        long bytes = 0;
        for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
            for (FetchResponseData.PartitionData partition : topic.partitions()) {
                if (partition.records() != null) {
                    bytes += partition.records().sizeInBytes();
                }
            }
        }
        return bytes;
    }

    /** {@code User:alice} -> {@code alice}, the name quotas are set for. */
    static String userName(String principal) {
        int colon = principal.indexOf(':');
        return colon < 0 ? principal : principal.substring(colon + 1);
    }
}
