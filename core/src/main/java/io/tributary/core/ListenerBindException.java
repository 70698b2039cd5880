package io.tributary.core;

import io.netty.channel.unix.Errors.NativeIoException;
import io.tributary.core.config.Listener;
import io.vertx.core.Future;

import java.net.BindException;

/**
 * A listener could not bind its address. The message names the listener as configured ("Cannot listen on
 * HTTP://127.0.0.1:8083"); the cause says why (a port in use, an address not on this host). Without it, a start that
 * fails says only "Address already in use", and an operator with four kinds of listener has to guess which one.
 */
public final class ListenerBindException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ListenerBindException(Listener listener, Throwable cause) {
        super("Cannot listen on " + listener.uri(), asBindException(cause));
    }

    /**
     * Netty's epoll transport reports a failed bind as "bind(..) failed with error(-98): Address already in use";
     * NIO, as the {@link BindException} "Address already in use". Both read and classify the same way as the latter.
     */
    private static Throwable asBindException(Throwable cause) {
        String message = cause instanceof NativeIoException ? cause.getMessage() : null;
        int reason = message == null ? -1 : message.indexOf(": ");
        if (message != null && message.startsWith("bind(") && reason > 0) {
            BindException bind = new BindException(message.substring(reason + 2));
            bind.setStackTrace(cause.getStackTrace());
            return bind;
        }
        return cause;
    }

    /** For {@code Future.recover}: the failure to bind {@code listener}, named. */
    public static <T> Future<T> failed(Listener listener, Throwable cause) {
        return Future.failedFuture(new ListenerBindException(listener, cause));
    }
}
