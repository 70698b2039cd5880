package io.tributary.core.protocol.replica;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A follower's SASL PLAIN login on a leader's SASL listener: SaslHandshake v1, then one SaslAuthenticate v2 with
 * {@code NUL username NUL password}. Fails with the leader's error message when refused.
 */
final class FollowerLogin {

    private static final short HANDSHAKE_VERSION = 1;
    private static final short AUTHENTICATE_VERSION = 2;

    private FollowerLogin() {
    }

    /**
     * @param roundTrip sends one request frame and yields the response frame
     * @param nextCorrelationId gives each request its correlation id
     */
    static Future<Void> plain(Function<Buffer, Future<Buffer>> roundTrip, java.util.function.IntSupplier nextCorrelationId,
                              String clientId, String username, String password) {
        Buffer handshake = RequestCodec.encode(ApiKeys.SASL_HANDSHAKE, HANDSHAKE_VERSION,
                nextCorrelationId.getAsInt(), clientId, new SaslHandshakeRequestData().setMechanism("PLAIN"));
        return roundTrip.apply(handshake).compose(frame -> {
            SaslHandshakeResponseData response = new SaslHandshakeResponseData(
                    RequestCodec.body(frame, ApiKeys.SASL_HANDSHAKE, HANDSHAKE_VERSION), HANDSHAKE_VERSION);
            if (response.errorCode() != Errors.NONE.code()) {
                return Future.failedFuture("the leader refused SASL PLAIN: " + Errors.forCode(response.errorCode())
                        + " (it offers " + response.mechanisms() + ")");
            }
            byte[] token = ("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8);
            return roundTrip.apply(RequestCodec.encode(ApiKeys.SASL_AUTHENTICATE, AUTHENTICATE_VERSION,
                    nextCorrelationId.getAsInt(), clientId, new SaslAuthenticateRequestData().setAuthBytes(token)));
        }).compose(frame -> {
            SaslAuthenticateResponseData response = new SaslAuthenticateResponseData(
                    RequestCodec.body(frame, ApiKeys.SASL_AUTHENTICATE, AUTHENTICATE_VERSION), AUTHENTICATE_VERSION);
            if (response.errorCode() != Errors.NONE.code()) {
                return Future.failedFuture("authentication as " + username + " failed: "
                        + (response.errorMessage() != null ? response.errorMessage()
                        : Errors.forCode(response.errorCode()).message()));
            }
            return Future.succeededFuture();
        });
    }
}
