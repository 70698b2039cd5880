package io.tributary.connect.runtime;

import io.tributary.core.api.BrokerApi;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The broker API as seen from the connector runtime's own threads. Broker calls must start on a Vert.x
 * context; worker threads hop there and wait for the answer, which is fine because they are not event loops.
 */
public final class BrokerBridge {

    private static final long CALL_TIMEOUT_MS = 60_000;

    private final Context context;
    private final BrokerApi api;

    public BrokerBridge(Context context, BrokerApi api) {
        this.context = context;
        this.api = api;
    }

    public BrokerApi api() {
        return api;
    }

    public Context context() {
        return context;
    }

    /** Runs the call on the broker context; the future completes there. */
    public <T> Future<T> onContext(Supplier<Future<T>> call) {
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                call.get().onComplete(promise);
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }

    /** Runs the call on the broker context and waits for it. Only for worker threads, never an event loop. */
    public <T> T await(Supplier<Future<T>> call) throws InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        onContext(call).onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(ar.result());
            } else {
                result.completeExceptionally(ar.cause());
            }
        });
        try {
            return result.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The broker did not answer within " + CALL_TIMEOUT_MS + " ms", e);
        }
    }
}
