package io.tributary.core.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.core.api.Metrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

/**
 * The broker's metrics registry, exposed in Prometheus' text format. Everything in the process reports
 * here: the JVM, Vert.x (its pools, TCP and HTTP servers), the Kafka request path, partitions, groups and
 * the gateways. One registry per broker, so brokers sharing a JVM in tests never mix their numbers.
 */
public final class BrokerMetrics implements Metrics {

    private final PrometheusMeterRegistry registry;
    private final RequestMetrics requests;
    private final JvmGcMetrics gc;

    public BrokerMetrics(int nodeId) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(Tags.of("node", String.valueOf(nodeId)));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        this.requests = new RequestMetrics(registry);
    }

    /** Vert.x options that make the event loops, worker pools and servers report into this registry. */
    public MicrometerMetricsOptions vertxOptions() {
        return new MicrometerMetricsOptions()
                .setEnabled(true)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    }

    /** Hands this registry to Vert.x (instead of one of its own). */
    public MicrometerMetricsFactory vertxFactory() {
        return new MicrometerMetricsFactory(registry);
    }

    @Override
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public String scrape() {
        return registry.scrape();
    }

    public RequestMetrics requests() {
        return requests;
    }

    public void close() {
        gc.close();
        registry.close();
    }
}
