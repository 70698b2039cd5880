package io.tributary.core.protocol.security;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.KafkaSession;
import io.tributary.core.security.sasl.SaslMechanisms;
import io.vertx.core.Future;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslHandshakeRequest;

import java.util.List;

/**
 * SaslHandshake: the client names its mechanism; the answer lists the enabled ones. v1 is followed by
 * SaslAuthenticate requests, v0 by bare SASL tokens (pre-1.0 clients). Only on SASL listeners, once.
 */
public final class SaslHandshakeHandler implements ApiHandler<SaslHandshakeRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, SaslHandshakeRequest request) {
        KafkaSession session = context.connection().session();
        BrokerSecurity security = session.security();
        boolean sasl = security != null && session.protocol().sasl();
        List<String> enabled = sasl ? security.mechanisms(session.listenerName()) : List.of();
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(enabled);
        if (!sasl || session.state() != KafkaSession.State.HANDSHAKE) {
            return Future.succeededFuture(response.setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
        }
        String mechanism = request.data().mechanism();
        if (!enabled.contains(mechanism) || !SaslMechanisms.SUPPORTED.contains(mechanism)) {
            session.failed();
            return Future.succeededFuture(response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code()));
        }
        session.startSasl(mechanism, SaslMechanisms.start(mechanism, security.credentials(), security::verifyPassword,
                        security.tokenValidator()),
                context.apiVersion() == 0);
        return Future.succeededFuture(response.setErrorCode(Errors.NONE.code()));
    }
}
