package io.tributary.core.protocol;

import io.tributary.core.BrokerServices;
import io.tributary.core.network.ConnectionInfo;
import io.tributary.core.network.FrameDecoder;
import io.tributary.core.network.FramingException;
import io.tributary.core.network.RequestProcessor;
import io.tributary.core.network.ResponseFrame;
import io.tributary.core.protocol.security.ClientQuotaThrottle;
import io.tributary.core.protocol.security.RequestAuthorizer;
import io.tributary.core.protocol.security.SaslTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * Decodes a request frame, routes it to its handler and encodes the answer. Versions the codec knows
 * but this broker does not advertise get UNSUPPORTED_VERSION; ApiVersions at an unknown version gets
 * the v0 fallback Kafka clients expect. A header or body that cannot be decoded at all is a framing
 * violation and closes only that connection.
 */
public final class KafkaRequestProcessor implements RequestProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaRequestProcessor.class);

    private final BrokerServices broker;
    private final HandlerRegistry handlers;

    public KafkaRequestProcessor(BrokerServices broker, HandlerRegistry handlers) {
        this.broker = broker;
        this.handlers = handlers;
    }

    @Override
    public Future<ResponseFrame> process(Buffer frame, ConnectionInfo connection) {
        if (connection.session().expectsRawTokens()) {
            return SaslTokens.process(frame, connection).map(ResponseFrame::of);
        }
        ByteBuffer buffer = FrameDecoder.view(frame);
        RequestHeader header;
        try {
            header = RequestHeader.parse(buffer);
        } catch (RuntimeException e) {
            return Future.failedFuture(new FramingException("undecodable request header: " + e.getMessage()));
        }
        ApiKeys api = header.apiKey();
        short version = header.apiVersion();
        if (api == ApiKeys.API_VERSIONS && !ApiVersionTable.isSupported(api, version)) {
            return Future.succeededFuture(apiVersionsFallback(header));
        }
        AbstractRequest request;
        try {
            request = AbstractRequest.parseRequest(api, version, new ByteBufferAccessor(buffer)).request;
        } catch (UnsupportedVersionException e) {
            return Future.failedFuture(new FramingException(api + " v" + version
                    + " cannot be decoded by this broker (advertised: " + ApiVersionTable.range(api) + ")"));
        } catch (RuntimeException e) {
            return Future.failedFuture(new FramingException("malformed " + api + " v" + version + " request: " + e));
        }
        if (!ApiVersionTable.isSupported(api, version)) {
            LOG.debug("Refusing {} v{} from {}: not advertised", api, version, connection.remoteAddress());
            return Future.succeededFuture(ResponseEncoder.encode(header,
                    request.getErrorResponse(0, Errors.UNSUPPORTED_VERSION.exception()).data()));
        }
        RequestContext context = new RequestContext(header, connection, broker);
        long started = System.nanoTime();
        Future<ApiMessage> response;
        try {
            response = RequestAuthorizer.dispatch(context, request, handlers.<AbstractRequest>get(api));
        } catch (RuntimeException e) {
            response = Future.failedFuture(e);
        }
        return response
                .recover(e -> {
                    if (e instanceof FramingException) {
                        return Future.failedFuture(e);
                    }
                    LOG.error("{} v{} failed on connection {}", api, version, connection.connectionId(), e);
                    broker.metrics().requests().failed(api);
                    return Future.succeededFuture(request.getErrorResponse(0, e).data());
                })
                .map(answer -> {
                    ApiMessage body;
                    try {
                        body = ClientQuotaThrottle.apply(context, request, frame.length(), answer);
                    } catch (RuntimeException e) {
                        ResponseEncoder.releaseSegmentRecords(answer);
                        throw e;
                    }
                    ResponseFrame encoded = body == null ? null : ResponseEncoder.encode(header, body);
                    broker.metrics().requests().record(api, System.nanoTime() - started);
                    return encoded;
                });
    }

    /** Kafka's answer to an ApiVersions version it does not know: v0 body, error 35 and the key list. */
    private static ResponseFrame apiVersionsFallback(RequestHeader header) {
        ApiVersionsResponseData body = new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                .setApiKeys(ApiVersionTable.toApiVersions());
        return ResponseEncoder.encode(new ResponseHeader(header.correlationId(), (short) 0), body, (short) 0);
    }
}
