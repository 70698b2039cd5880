package io.tributary.connect.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.connect.state.ConnectorState;
import io.tributary.connect.state.StatusStore;

import java.util.function.Supplier;

/**
 * The connector runtime's meters in the broker's registry (scraped with the broker's own): how many connectors
 * and tasks are in each state, and records moved per connector. In a cluster each member counts the connector
 * instances and tasks it runs itself (the statuses naming its worker id), so the members' values add up.
 */
public final class ConnectMetrics {

    private final MeterRegistry registry;

    public ConnectMetrics(MeterRegistry registry, StatusStore statuses, Supplier<Iterable<String>> connectors,
                          Supplier<String> workerId) {
        this.registry = registry;
        for (ConnectorState state : ConnectorState.values()) {
            Gauge.builder("tributary_connect_connectors", () -> count(connectors, name ->
                            statuses.connector(name).map(s -> s.state() == state
                                    && workerId.get().equals(s.workerId()) ? 1 : 0).orElse(0)))
                    .description("Connectors in each state").tag("state", state.name()).register(registry);
            Gauge.builder("tributary_connect_tasks", () -> count(connectors, name ->
                            (int) statuses.tasks(name).values().stream().filter(s -> s.state() == state
                                    && workerId.get().equals(s.workerId())).count()))
                    .description("Connector tasks in each state").tag("state", state.name()).register(registry);
        }
    }

    private static int count(Supplier<Iterable<String>> connectors, java.util.function.ToIntFunction<String> perConnector) {
        int total = 0;
        for (String name : connectors.get()) {
            total += perConnector.applyAsInt(name);
        }
        return total;
    }

    /** Records a source connector appended (after transforms), counted per connector. */
    public Counter sourceRecords(String connector) {
        return Counter.builder("tributary_connect_source_records").description("Records written by source connectors")
                .tag("connector", connector).register(registry);
    }

    /** Records handed to a sink connector's put(), counted per connector. */
    public Counter sinkRecords(String connector) {
        return Counter.builder("tributary_connect_sink_records").description("Records delivered to sink connectors")
                .tag("connector", connector).register(registry);
    }
}
