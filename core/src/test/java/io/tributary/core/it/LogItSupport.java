package io.tributary.core.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tributary.core.concurrent.ContextHop;
import io.tributary.core.partition.Partition;
import io.tributary.core.testing.EmbeddedBroker;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/** Helpers for the log maintenance ITs: owner-thread peeks, segment files on disk, the blocked-thread log. */
final class LogItSupport {

    private LogItSupport() {
    }

    /** An in-process broker on {@code dir} with {@code overrides}. */
    static EmbeddedBroker start(Path dir, Map<String, String> overrides) {
        return EmbeddedBroker.start(dir, overrides);
    }

    /** Runs {@code work} on the partition's owner context and waits for its result. */
    static <T> T onOwner(EmbeddedBroker broker, TopicPartition tp, Function<Partition, T> work) throws Exception {
        Partition p = broker.broker().services().partitions().get(tp);
        Callable<T> call = () -> work.apply(p);
        return ContextHop.call(p.owner(), call).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The partition's segment files (base offsets, ascending) as they are on disk. */
    static List<Long> segmentFiles(EmbeddedBroker broker, TopicPartition tp) throws IOException {
        Path dir = broker.dataDir().resolve(tp.topic() + "-" + tp.partition());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(n -> n.matches("\\d{20}\\.log"))
                    .map(n -> Long.parseLong(n.substring(0, 20)))
                    .sorted()
                    .toList();
        }
    }

    static long segmentSize(EmbeddedBroker broker, TopicPartition tp, long base) throws IOException {
        return Files.size(broker.dataDir().resolve(tp.topic() + "-" + tp.partition())
                .resolve(String.format("%020d.log", base)));
    }

    /** Captures what Vert.x's blocked-thread checker logs while a test runs. */
    static final class BlockedThreadWatch implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger("io.vertx.core.impl.BlockedThreadChecker");
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

        BlockedThreadWatch() {
            appender.start();
            logger.addAppender(appender);
        }

        List<String> warnings() {
            return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
        }
    }
}
