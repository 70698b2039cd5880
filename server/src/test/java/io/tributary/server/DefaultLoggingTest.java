package io.tributary.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
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
