package io.tributary.core.api;

import io.micrometer.core.instrument.MeterRegistry;

/** The broker's metrics: the gateways register their own meters here and serve the Prometheus scrape. */
public interface Metrics {

    MeterRegistry registry();

    /** Every meter in Prometheus' text exposition format. */
    String scrape();
}
