package io.tributary.core;

import io.tributary.core.config.Listener;
import io.vertx.core.Future;

/**
 * A listener could not bind its address. The message names the listener as configured ("Cannot listen on
 * HTTP://127.0.0.1:8083"); the cause says why (a port in use, an address not on this host). Without it, a start that
 * fails says only "Address already in use", and an operator with four kinds of listener has to guess which one.
 */
public final class ListenerBindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ListenerBindException(Listener listener, Throwable cause) {
        super("Cannot listen on " + listener.uri(), cause);
    }

    /** For {@code Future.recover}: the failure to bind {@code listener}, named. */
    public static <T> Future<T> failed(Listener listener, Throwable cause) {
        return Future.failedFuture(new ListenerBindException(listener, cause));
    }
}
