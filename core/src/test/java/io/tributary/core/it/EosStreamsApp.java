package io.tributary.core.it;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The exactly-once Streams application of {@link StreamsExactlyOnceIT}: a word count, a windowed count and a
 * stream-table join. {@link #main} runs one instance in a JVM of its own, so the test can SIGKILL it mid-run.
 */
public final class EosStreamsApp {

    private EosStreamsApp() {
    }

    /** Starts the instance in a child JVM; args are bootstrap and state dir. */
    static Process spawn(String bootstrap, Path stateDir) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                EosStreamsApp.class.getName(), bootstrap, stateDir.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    public static void main(String[] args) throws InterruptedException {
        KafkaStreams streams = new KafkaStreams(topology(), streamsConfig(args[0], Path.of(args[1])));
        streams.start();
        Thread.sleep(Long.MAX_VALUE);
    }

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> input = builder.stream("eos-input", Consumed.with(Serdes.String(), Serdes.String()));
        KTable<String, String> users = builder.table("eos-users", Consumed.with(Serdes.String(), Serdes.String()));

        input.groupBy((user, value) -> value.substring(0, value.indexOf('|')),
                        Grouped.with("by-word", Serdes.String(), Serdes.String()))
                .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("word-counts")
                        .withValueSerde(Serdes.Long()))
                .toStream()
                .to("eos-word-counts", Produced.with(Serdes.String(), Serdes.Long()));

        input.groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(StreamsExactlyOnceIT.WINDOW_MS)))
                .count(Materialized.<String, Long, WindowStore<Bytes, byte[]>>as("window-counts")
                        .withValueSerde(Serdes.Long()))
                .toStream()
                .map((windowed, count) -> KeyValue.pair(windowed.key() + "@" + windowed.window().start(), count))
                .to("eos-window-counts", Produced.with(Serdes.String(), Serdes.Long()));

        input.join(users, (value, name) -> name + ":" + value)
                .to("eos-joined", Produced.with(Serdes.String(), Serdes.String()));
        return builder.build();
    }

    static Properties streamsConfig(String bootstrap, Path stateDir) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "eos-app");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 1024 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5_000);
        p.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
        p.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2_000);
        return p;
    }
}
