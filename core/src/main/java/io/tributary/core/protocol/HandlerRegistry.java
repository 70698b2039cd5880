package io.tributary.core.protocol;

import io.tributary.core.protocol.handlers.ApiVersionsHandler;
import io.tributary.core.protocol.handlers.CreateTopicsHandler;
import io.tributary.core.protocol.handlers.DeleteTopicsHandler;
import io.tributary.core.protocol.handlers.DescribeClusterHandler;
import io.tributary.core.protocol.handlers.DescribeConfigsHandler;
import io.tributary.core.protocol.handlers.FetchHandler;
import io.tributary.core.protocol.handlers.InitProducerIdHandler;
import io.tributary.core.protocol.handlers.ListOffsetsHandler;
import io.tributary.core.protocol.handlers.MetadataHandler;
import io.tributary.core.protocol.handlers.ProduceHandler;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;

import java.util.EnumMap;
import java.util.Map;

/** Which handler serves which API. Every API in {@link ApiVersionTable} has exactly one. */
public final class HandlerRegistry {

    private final Map<ApiKeys, ApiHandler<? extends AbstractRequest>> handlers = new EnumMap<>(ApiKeys.class);

    public HandlerRegistry() {
        handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler());
        handlers.put(ApiKeys.METADATA, new MetadataHandler());
        handlers.put(ApiKeys.PRODUCE, new ProduceHandler());
        handlers.put(ApiKeys.FETCH, new FetchHandler());
        handlers.put(ApiKeys.LIST_OFFSETS, new ListOffsetsHandler());
        handlers.put(ApiKeys.CREATE_TOPICS, new CreateTopicsHandler());
        handlers.put(ApiKeys.DELETE_TOPICS, new DeleteTopicsHandler());
        handlers.put(ApiKeys.INIT_PRODUCER_ID, new InitProducerIdHandler());
        handlers.put(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsHandler());
        handlers.put(ApiKeys.DESCRIBE_CLUSTER, new DescribeClusterHandler());
        if (!handlers.keySet().equals(ApiVersionTable.apis())) {
            throw new IllegalStateException("Advertised APIs and handlers differ: " + ApiVersionTable.apis()
                    + " vs " + handlers.keySet());
        }
    }

    @SuppressWarnings("unchecked")
    public <R extends AbstractRequest> ApiHandler<R> get(ApiKeys api) {
        return (ApiHandler<R>) handlers.get(api);
    }
}
