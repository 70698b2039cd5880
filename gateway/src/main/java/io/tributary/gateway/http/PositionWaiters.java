package io.tributary.gateway.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;

/**
 * Polls of a consumer instance that wait for its positions to change (a new assignment, a seek), each with a
 * timer so none waits longer than its request allows. Confined to the instance's context.
 */
final class PositionWaiters {

    private final List<Promise<Void>> waiting = new ArrayList<>();

    Future<Void> await(Context context, long timeoutMs) {
        Promise<Void> promise = Promise.promise();
        waiting.add(promise);
        long timer = context.owner().setTimer(Math.max(1, timeoutMs), id -> {
            waiting.remove(promise);
            promise.tryComplete();
        });
        return promise.future().andThen(ar -> context.owner().cancelTimer(timer));
    }

    void wakeAll() {
        List<Promise<Void>> woken = new ArrayList<>(waiting);
        waiting.clear();
        woken.forEach(Promise::tryComplete);
    }
}
