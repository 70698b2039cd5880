package io.tributary.gateway.http;

import io.tributary.core.api.BrokerApi;
import io.tributary.core.concurrent.ContextHop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The live consumer instances of every event loop, by group and name. The map is shared by the HTTP servers of
 * all event loops; each instance's state stays on its own context and every call hops there. Instances idle
 * for longer than http.consumer.instance.timeout.ms are closed, leaving their groups.
 */
final class ConsumerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerRegistry.class);

    private record Key(String group, String name) {
    }

    private final Vertx vertx;
    private final BrokerApi api;
    private final long idleTimeoutMs;
    private final Map<Key, ConsumerInstance> instances = new ConcurrentHashMap<>();
    private long reaper = -1;

    ConsumerRegistry(Vertx vertx, BrokerApi api, long idleTimeoutMs) {
        this.vertx = vertx;
        this.api = api;
        this.idleTimeoutMs = idleTimeoutMs;
    }

    void start() {
        long interval = Math.max(10, Math.min(1_000, idleTimeoutMs / 4));
        reaper = vertx.setPeriodic(interval, id -> closeIdle());
    }

    /** Creates an instance owned by the calling context (the request's event loop). */
    ConsumerInstance create(String group, ConsumerSettings settings) {
        ConsumerInstance instance = new ConsumerInstance(api, Vertx.currentContext(), group, settings);
        if (instances.putIfAbsent(new Key(group, settings.name()), instance) != null) {
            throw HttpError.conflict(40902, "Consumer instance " + settings.name() + " already exists in group " + group);
        }
        return instance;
    }

    /** Runs {@code work} on the instance's context; 404 (40403) when there is no such instance. */
    <T> Future<T> call(String group, String name, Function<ConsumerInstance, Future<T>> work) {
        ConsumerInstance instance = instances.get(new Key(group, name));
        if (instance == null) {
            return Future.failedFuture(HttpError.instanceNotFound(group, name));
        }
        instance.requestStarted();
        return ContextHop.compose(instance.context(), () -> work.apply(instance))
                .andThen(ar -> instance.requestEnded());
    }

    Future<Void> delete(String group, String name) {
        ConsumerInstance instance = instances.remove(new Key(group, name));
        if (instance == null) {
            return Future.failedFuture(HttpError.instanceNotFound(group, name));
        }
        return ContextHop.compose(instance.context(), instance::close);
    }

    boolean contains(String group, String name) {
        return instances.containsKey(new Key(group, name));
    }

    private void closeIdle() {
        long now = System.currentTimeMillis();
        instances.forEach((key, instance) -> {
            if (instance.idleFor(idleTimeoutMs, now) && instances.remove(key, instance)) {
                LOG.info("Closing HTTP consumer instance {} of group {} after {} ms idle", key.name(), key.group(),
                        idleTimeoutMs);
                ContextHop.compose(instance.context(), instance::close);
            }
        });
    }

    /** Stops the idle check and closes every instance (they leave their groups). */
    Future<Void> closeAll() {
        if (reaper >= 0) {
            vertx.cancelTimer(reaper);
        }
        List<Future<Void>> closing = new ArrayList<>();
        instances.forEach((key, instance) -> {
            if (instances.remove(key, instance)) {
                closing.add(ContextHop.compose(instance.context(), instance::close));
            }
        });
        return Future.join(closing).transform(ignored -> Future.succeededFuture());
    }
}
