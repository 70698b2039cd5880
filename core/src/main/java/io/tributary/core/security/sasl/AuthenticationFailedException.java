package io.tributary.core.security.sasl;

/** Credentials were refused. The message is safe to send to the client (it names no secret). */
public final class AuthenticationFailedException extends RuntimeException {

    public AuthenticationFailedException(String message) {
        super(message, null, false, false);
    }
}
