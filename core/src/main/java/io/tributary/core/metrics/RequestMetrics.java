package io.tributary.core.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Rate and latency of Kafka requests per API, from the decoded frame to the encoded response. Meters
 * are created once per API key and then looked up by index: the request path never builds tags.
 */
public final class RequestMetrics {

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Timer> timers;
    private final AtomicReferenceArray<Counter> errors;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        int size = 0;
        for (ApiKeys key : ApiKeys.values()) {
            size = Math.max(size, key.id + 1);
        }
        this.timers = new AtomicReferenceArray<>(size);
        this.errors = new AtomicReferenceArray<>(size);
    }

    /** Records one answered request that took {@code nanos}. */
    public void record(ApiKeys api, long nanos) {
        timer(api).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a request whose handler failed unexpectedly (it is still answered, and timed, with an error). */
    public void failed(ApiKeys api) {
        errorCounter(api).increment();
    }

    private Timer timer(ApiKeys api) {
        Timer timer = timers.get(api.id);
        if (timer == null) {
            timer = Timer.builder("tributary.kafka.requests")
                    .description("Kafka requests handled, by API, from decoded request to encoded response")
                    .tag("api", api.name)
                    .publishPercentileHistogram()
                    .register(registry);
            timers.set(api.id, timer);
        }
        return timer;
    }

    private Counter errorCounter(ApiKeys api) {
        Counter counter = errors.get(api.id);
        if (counter == null) {
            counter = Counter.builder("tributary.kafka.request.errors")
                    .description("Kafka requests whose handler failed unexpectedly (answered with an error)")
                    .tag("api", api.name)
                    .register(registry);
            errors.set(api.id, counter);
        }
        return counter;
    }
}
