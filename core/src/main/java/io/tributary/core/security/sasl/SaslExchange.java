package io.tributary.core.security.sasl;

import io.vertx.core.Future;

/** One server-side SASL conversation: tokens in, challenges out, until complete. */
public interface SaslExchange {

    /**
     * Evaluates the client's next token. The future fails with {@link AuthenticationFailedException} when the
     * credentials are wrong; it yields the challenge to send (possibly empty).
     */
    Future<byte[]> evaluate(byte[] token);

    boolean isComplete();

    /** The authenticated user name once complete. */
    String user();
}
