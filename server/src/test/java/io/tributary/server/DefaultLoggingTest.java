package io.tributary.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DefaultLoggingTest {

    @Test
    void theBrokerLogsAtInfoToStandardOutputAndItsLibrariesOnlyWarnings() {
        LoggerContext context = new LoggerContext();
        DefaultLogging.apply(context, Level.INFO, "System.out");

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
        assertThat(console.isStarted()).isTrue();
        assertThat(console.getTarget()).isEqualTo("System.out");
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(DefaultLogging.PATTERN);
        assertThat(context.getLogger("io.tributary.core.Broker").isInfoEnabled()).isTrue();
        assertThat(context.getLogger("io.netty.channel.Channel").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("org.apache.kafka.clients.Metadata").isWarnEnabled()).isTrue();
        assertThat(context.getLogger("com.hazelcast.cluster").isInfoEnabled()).isTrue();
    }

    @Test
    void micrometersWarningAboutARepeatedVertxGaugeIsDroppedAndOthersPass() {
        LoggerContext context = new LoggerContext();
        DefaultLogging.apply(context, Level.INFO, "System.out");
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.setContext(context);
        events.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(events);
        Logger registry = context.getLogger(VertxGaugeWarningFilter.REGISTRY_LOGGER);

        String repeated = "This Gauge has been already registered (MeterId{name='";
        registry.warn(repeated + "vertx.net.server.active.connections', tags=[tag(node=0)]}), the registration "
                + "will be ignored.");
        registry.warn(repeated + "tributary.replication.offline.partitions', tags=[tag(node=0)]}), the "
                + "registration will be ignored.");
        context.getLogger("io.tributary.core.Broker").warn(repeated + "vertx.");

        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                .hasSize(2)
                .allSatisfy(m -> assertThat(m).startsWith("This Gauge has been already registered"))
                .noneMatch(m -> m.contains("vertx.net.server"));
    }

    @Test
    void theCommandLineToolsLogOnlyWarningsToStandardError() {
        LoggerContext context = new LoggerContext();
        DefaultLogging.apply(context, Level.WARN, "System.err");

        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) context
                .getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        assertThat(console.getTarget()).isEqualTo("System.err");
        assertThat(context.getLogger("io.tributary.server.Main").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("io.tributary.server.Main").isWarnEnabled()).isTrue();
    }
}
