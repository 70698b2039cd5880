package io.tributary.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Micrometer's warning that a Vert.x gauge "has been already registered". Vert.x's metrics register their
 * connection and event-bus gauges again for every new connection or message, sharing one counter per gauge behind
 * the registry's back, so the values are right; Micrometer warns about the first repeat, and so every broker logged
 * a WARN at its first connection. The same warning about any other meter (the broker's own) still passes.
 */
public final class VertxGaugeWarningFilter extends TurboFilter {

    static final String REGISTRY_LOGGER = "io.micrometer.core.instrument.MeterRegistry";
    static final String VERTX_GAUGE_REPEATED = "This Gauge has been already registered (MeterId{name='vertx.";

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        boolean vertxGaugeRepeated = level == Level.WARN && format != null
                && format.startsWith(VERTX_GAUGE_REPEATED) && REGISTRY_LOGGER.equals(logger.getName());
        return vertxGaugeRepeated ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
