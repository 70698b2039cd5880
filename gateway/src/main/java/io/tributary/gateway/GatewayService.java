package io.tributary.gateway;

import io.tributary.core.BoundListener;
import io.vertx.core.Future;

import java.util.List;

/** One front door of the gateway (MQTT, HTTP): started after the broker, stopped before it. */
public interface GatewayService {

    /** Binds the service's listeners; completes with what it bound (port 0 resolved). */
    Future<List<BoundListener>> start();

    /** Stops accepting, ends its connections (publishing wills, keeping sessions) and releases its resources. */
    Future<Void> stop();
}
