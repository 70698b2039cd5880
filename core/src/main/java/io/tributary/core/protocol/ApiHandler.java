package io.tributary.core.protocol;

import io.vertx.core.Future;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Serves one Kafka API. Called on the connection's context; the returned future must complete on
 * that context. A null response means the request expects none (produce with acks=0).
 */
@FunctionalInterface
public interface ApiHandler<R extends AbstractRequest> {

    Future<ApiMessage> handle(RequestContext context, R request);
}
