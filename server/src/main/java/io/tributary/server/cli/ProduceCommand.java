package io.tributary.server.cli;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/** {@code tributary produce TOPIC}: one record per line of standard input, acknowledged by all replicas. */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Sends each line of standard input as a record (acks=all); prints how many were written.")
public final class ProduceCommand extends ClientCommand {

    private final InputStream in;

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = {"-k", "--key-separator"}, paramLabel = "SEP",
            description = "Split each line at the first SEP into key and value (default: no key).")
    String keySeparator;

    @Option(names = {"-p", "--partition"}, description = "Write to this partition (default: by key).")
    Integer partition;

    public ProduceCommand() {
        this(System.in);
    }

    ProduceCommand(InputStream in) {
        this.in = in;
    }

    @Override
    int run() throws ExecutionException, InterruptedException {
        Properties props = client.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        long count = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer());
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && failure.get() == null) {
                String key = null;
                String value = line;
                if (keySeparator != null && line.contains(keySeparator)) {
                    int at = line.indexOf(keySeparator);
                    key = line.substring(0, at);
                    value = line.substring(at + keySeparator.length());
                }
                producer.send(new ProducerRecord<>(topic, partition, key, value), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                count++;
            }
            producer.flush();
        } catch (IOException e) {
            throw new CliException("Cannot read standard input: " + e.getMessage());
        }
        if (failure.get() != null) {
            throw new ExecutionException(failure.get());
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("topic", topic);
        result.put("records", count);
        printer().object(result);
        return 0;
    }
}
