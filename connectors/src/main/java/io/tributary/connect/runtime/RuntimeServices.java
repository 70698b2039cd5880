package io.tributary.connect.runtime;

import io.tributary.connect.plugins.Plugins;
import io.tributary.connect.state.OffsetStore;
import io.tributary.connect.state.StatusStore;
import org.apache.kafka.common.metrics.Metrics;

import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The shared parts every connector and task of the runtime uses.
 *
 * @param meters                 the runtime's meters in the broker's registry
 * @param worker                 this worker's id (host:port of its REST API), known once the API is bound
 * @param taskThreads            one thread per running task (tasks may block)
 * @param reconfigurationRequest asks the herder to recompute a connector's task configs
 * @param clustered              whether other members may run parts of the same connectors
 */
public record RuntimeServices(Plugins plugins, BrokerBridge bridge, OffsetStore offsets, StatusStore statuses,
                              ConnectSettings settings, Metrics metrics, ConnectMetrics meters, Supplier<String> worker, ExecutorService taskThreads,
                              Consumer<String> reconfigurationRequest, boolean clustered) {

    public String workerId() {
        return worker.get();
    }
}
