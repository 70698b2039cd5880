package io.tributary.core;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Creates one event-loop context per event loop for partitions (and the metadata services) to be
 * pinned to. Deploying N instances of an empty verticle is the public way to obtain N contexts
 * spread over the N event loops.
 */
final class PartitionOwners {

    private PartitionOwners() {
    }

    static Future<List<Context>> create(Vertx vertx, int count) {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        Promise<List<Context>> result = Promise.promise();
        vertx.deployVerticle(() -> new VerticleBase() {
                    @Override
                    public Future<?> start() {
                        contexts.add(context);
                        return Future.succeededFuture();
                    }
                }, new DeploymentOptions().setInstances(count))
                .onSuccess(id -> result.complete(List.copyOf(contexts)))
                .onFailure(result::fail);
        return result.future();
    }
}
