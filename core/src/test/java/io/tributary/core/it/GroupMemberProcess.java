package io.tributary.core.it;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.io.File;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A group member in a JVM of its own, so a test can kill it the hard way (no LeaveGroup, no more
 * heartbeats). It prints "ASSIGNED p,p,..." whenever its assignment changes.
 */
public final class GroupMemberProcess {

    private GroupMemberProcess() {
    }

    /** Starts the member; args are bootstrap, group, topic and group.protocol. */
    static Process spawn(String bootstrap, String group, String topic, String protocol) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                GroupMemberProcess.class.getName(), bootstrap, group, topic, protocol)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    public static void main(String[] args) {
        Map<String, Object> props = new HashMap<>(GroupMember.props(args[1], args[3]));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "external-member");
        String last = null;
        try (KafkaConsumer<String, String> consumer = ItClients.consumer(args[0], props)) {
            consumer.subscribe(List.of(args[2]));
            while (true) {
                consumer.poll(Duration.ofMillis(100));
                Set<TopicPartition> assigned = consumer.assignment();
                String line = "ASSIGNED " + assigned.stream().map(TopicPartition::partition)
                        .collect(Collectors.toCollection(TreeSet::new)).stream().map(String::valueOf)
                        .collect(Collectors.joining(","));
                if (!line.equals(last)) {
                    System.out.println(line);
                    System.out.flush();
                    last = line;
                }
            }
        }
    }
}
