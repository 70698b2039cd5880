package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.KafkaSession;
import io.tributary.core.security.sasl.AuthenticationFailedException;
import io.tributary.core.security.sasl.SaslExchange;
import io.vertx.core.Future;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SaslAuthenticate: one SASL token in, one challenge out. On success the connection's principal is set; on failure
 * the answer (SASL_AUTHENTICATION_FAILED) is held back by connection.failed.authentication.delay.ms and every later
 * request on the connection closes it, as in Kafka.
 */
public final class SaslAuthenticateHandler implements ApiHandler<SaslAuthenticateRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(SaslAuthenticateHandler.class);

    @Override
    public Future<ApiMessage> handle(RequestContext context, SaslAuthenticateRequest request) {
        KafkaSession session = context.connection().session();
        SaslExchange exchange = session.exchange();
        if (session.state() != KafkaSession.State.AUTHENTICATE || exchange == null || session.expectsRawTokens()) {
            return Future.succeededFuture(new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                    .setErrorMessage("SaslAuthenticate without a SaslHandshake v1 first"));
        }
        BrokerSecurity security = session.security();
        return exchange.evaluate(request.data().authBytes()).<ApiMessage>map(challenge -> {
            if (exchange.isComplete()) {
                session.authenticated(exchange.user());
                LOG.debug("Connection {} authenticated as {} with {}", context.connection().connectionId(),
                        session.principal(), session.mechanism());
            }
            return new SaslAuthenticateResponseData().setErrorCode(Errors.NONE.code()).setAuthBytes(challenge)
                    .setSessionLifetimeMs(0L);
        }).recover(e -> {
            session.failed();
            security.failures().failed(session.host());
            String message = e instanceof AuthenticationFailedException ? e.getMessage() : "Authentication failed";
            LOG.info("Failed {} authentication from {} on listener {}: {}", session.mechanism(), session.host(),
                    session.listenerName(), message);
            ApiMessage failure = new SaslAuthenticateResponseData()
                    .setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code())
                    .setErrorMessage(message)
                    .setAuthBytes(new byte[0]);
            int delay = security.failedAuthenticationDelayMs();
            return delay <= 0 ? Future.succeededFuture(failure)
                    : security.vertx().timer(delay).map(t -> failure);
        });
    }
}
