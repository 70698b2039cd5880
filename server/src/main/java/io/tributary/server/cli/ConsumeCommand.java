package io.tributary.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * {@code tributary consume TOPIC}: prints records as they arrive, one per line (the value, or a JSON object
 * per record with {@code -o json}), until --max-messages or --idle-timeout-ms ends it.
 */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Prints a topic's records as they arrive.")
public final class ConsumeCommand extends ClientCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "TOPIC")
    String topic;

    @Option(names = {"-g", "--group"}, description = "Consume as this group, committing offsets"
            + " (default: no group, nothing committed).")
    String group;

    @Option(names = "--from-beginning", description = "Start at the earliest offset when there is no committed one.")
    boolean fromBeginning;

    @Option(names = {"-n", "--max-messages"}, description = "Stop after this many records.")
    Long maxMessages;

    @Option(names = "--idle-timeout-ms", description = "Stop when no record arrives for this long"
            + " (default: wait forever).")
    Long idleTimeoutMs;

    @Option(names = "--print-key", description = "Table output: print KEY<TAB>VALUE.")
    boolean printKey;

    @Override
    int run() {
        Properties props = client.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group != null ? group : "tributary-cli-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, String.valueOf(group != null));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        // A mistyped topic name must not create a topic.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        PrintWriter out = spec.commandLine().getOut();
        long printed = 0;
        long idleSince = System.nanoTime();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            // Fails fast (within the API timeout) when the broker is unreachable or the topic missing.
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new CliException("Topic " + topic + " does not exist");
            }
            if (group != null) {
                consumer.subscribe(List.of(topic));
            } else {
                // Without a group nothing is committed: read the partitions directly.
                consumer.assign(partitions);
                if (fromBeginning) {
                    consumer.seekToBeginning(partitions);
                } else {
                    consumer.seekToEnd(partitions);
                }
            }
            while (maxMessages == null || printed < maxMessages) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    if (idleTimeoutMs != null && System.nanoTime() - idleSince > idleTimeoutMs * 1_000_000L) {
                        break;
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                for (ConsumerRecord<String, String> record : records) {
                    out.println(render(record));
                    if (maxMessages != null && ++printed >= maxMessages) {
                        break;
                    } else if (maxMessages == null) {
                        printed++;
                    }
                }
                out.flush();
            }
            if (group != null) {
                consumer.commitSync();
            }
        }
        return 0;
    }

    private String render(ConsumerRecord<String, String> record) {
        if (client.output == OutputFormat.TABLE) {
            return printKey ? record.key() + "\t" + record.value() : record.value();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", record.topic());
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", record.timestamp());
        json.put("key", record.key());
        json.put("value", record.value());
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        json.put("headers", headers);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
