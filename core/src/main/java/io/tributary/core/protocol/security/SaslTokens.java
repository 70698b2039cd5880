package io.tributary.core.protocol.security;

import io.tributary.core.network.ConnectionInfo;
import io.tributary.core.network.FramingException;
import io.tributary.core.security.KafkaSession;
import io.tributary.core.security.sasl.SaslExchange;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Bare SASL tokens after a SaslHandshake v0: each frame is a token and each answer a size-prefixed challenge, with
 * no Kafka headers. A failure closes the connection (there is no error field to report it in).
 */
public final class SaslTokens {

    private SaslTokens() {
    }

    public static Future<Buffer> process(Buffer frame, ConnectionInfo connection) {
        KafkaSession session = connection.session();
        SaslExchange exchange = session.exchange();
        return exchange.evaluate(frame.getBytes()).map(challenge -> {
            if (exchange.isComplete()) {
                session.authenticated(exchange.user());
            }
            return Buffer.buffer(4 + challenge.length).appendInt(challenge.length).appendBytes(challenge);
        }).recover(e -> {
            session.failed();
            session.security().failures().failed(session.host());
            int delay = session.security().failedAuthenticationDelayMs();
            Future<Void> wait = delay <= 0 ? Future.succeededFuture() : session.security().vertx().timer(delay);
            return wait.compose(t -> Future.failedFuture(new FramingException(
                    "SASL " + session.mechanism() + " authentication failed: " + e.getMessage())));
        });
    }
}
