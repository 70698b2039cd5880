package io.tributary.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.List;

/**
 * The logging a plain {@code java -jar} gets: one line per event on the console, INFO for Tributary and WARN for the
 * libraries it is built on, less a warning Vert.x's metrics always cause ({@link VertxGaugeWarningFilter}). Set up
 * in code because reading the same settings from XML loaded about 600 classes (logback's Joran and a SAX parser)
 * and took about 0.3 s of every start, the CLI commands' included. A file named
 * by {@code -Dlogback.configurationFile} (conf/logback.xml is the template), or a logback-test.xml on the class path,
 * is left to logback's own configurator.
 *
 * <p>The CLI commands set {@code tributary.log.target=System.err} and {@code tributary.log.level=WARN} before the
 * first logger is created, so that their own output stays alone on standard output.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";
    static final List<String> LIBRARIES = List.of("io.netty", "io.vertx", "org.apache.kafka");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || DefaultLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context, Level.toLevel(System.getProperty("tributary.log.level"), Level.INFO),
                System.getProperty("tributary.log.target", "System.out"));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Console output to {@code target} ("System.out" or "System.err"), {@code level} for all but the libraries. */
    static void apply(LoggerContext context, Level level, String target) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setTarget(target);
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(console);
        context.getLogger("io.tributary").setLevel(level);
        for (String library : LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        VertxGaugeWarningFilter filter = new VertxGaugeWarningFilter();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
    }
}
