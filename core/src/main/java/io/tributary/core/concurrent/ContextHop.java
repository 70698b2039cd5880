package io.tributary.core.concurrent;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.Callable;

/**
 * Runs work on the context that owns a piece of state and delivers the result back on the caller's
 * context, so that state is only ever touched by its owner and the caller's state by the caller.
 */
public final class ContextHop {

    private ContextHop() {
    }

    /**
     * Runs {@code work} on {@code owner}. When the caller already runs on {@code owner}'s event loop the
     * work runs inline, which keeps the common same-loop case free of task-queue round trips. (A worker
     * thread of the same context is not the owner: it always hops.)
     */
    public static <T> Future<T> call(Context owner, Callable<T> work) {
        Context caller = Vertx.currentContext();
        if (caller == owner && Context.isOnEventLoopThread()) {
            try {
                return Future.succeededFuture(work.call());
            } catch (Throwable t) {
                return Future.failedFuture(t);
            }
        }
        Promise<T> promise = Promise.promise();
        owner.runOnContext(v -> {
            T result;
            try {
                result = work.call();
            } catch (Throwable t) {
                deliver(caller, () -> promise.fail(t));
                return;
            }
            deliver(caller, () -> promise.complete(result));
        });
        return promise.future();
    }

    /** Like {@link #call} for work that itself completes asynchronously on the owner. */
    public static <T> Future<T> compose(Context owner, Callable<Future<T>> work) {
        Context caller = Vertx.currentContext();
        if (caller == owner && Context.isOnEventLoopThread()) {
            try {
                return work.call();
            } catch (Throwable t) {
                return Future.failedFuture(t);
            }
        }
        Promise<T> promise = Promise.promise();
        owner.runOnContext(v -> {
            Future<T> f;
            try {
                f = work.call();
            } catch (Throwable t) {
                deliver(caller, () -> promise.fail(t));
                return;
            }
            f.onComplete(ar -> deliver(caller, () -> promise.handle(ar)));
        });
        return promise.future();
    }

    private static void deliver(Context caller, Runnable completion) {
        if (caller == null) {
            completion.run();
        } else {
            caller.runOnContext(v -> completion.run());
        }
    }
}
