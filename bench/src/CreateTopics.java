import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the benchmark topics with one Admin call and waits until every partition has a leader,
 * so no workload starts against a topic that is still being set up. For bench/run.sh.
 *
 * <pre>java -cp kafka-libs/* CreateTopics BOOTSTRAP PARTITIONS TOPIC...</pre>
 *
 * <p>For bench/cluster.sh: {@code -Dreplication.factor=3} (default 1) sets the topics' replication
 * factor, {@code -Dmin.insync.replicas=2} (default: the broker's) their min.insync.replicas, and
 * then it also waits until every partition has all its replicas in the ISR. {@code -Dwait.ms}
 * (default 30000) bounds the wait.
 */
public final class CreateTopics {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int partitions = Integer.parseInt(args[1]);
        short rf = Short.parseShort(System.getProperty("replication.factor", "1"));
        String minIsr = System.getProperty("min.insync.replicas");
        long waitMs = Long.parseLong(System.getProperty("wait.ms", "30000"));
        List<NewTopic> topics = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            NewTopic t = new NewTopic(args[i], partitions, rf);
            if (minIsr != null) {
                t.configs(Map.of("min.insync.replicas", minIsr));
            }
            topics.add(t);
            names.add(args[i]);
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30000);
        try (Admin admin = Admin.create(p)) {
            try {
                admin.createTopics(topics).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            long deadline = System.currentTimeMillis() + waitMs;
            while (true) {
                Map<String, TopicDescription> d;
                try {
                    d = admin.describeTopics(names).allTopicNames().get();
                } catch (ExecutionException e) {
                    // In a multi-broker cluster the broker asked may not have the new topic's
                    // metadata yet: ask again until the deadline.
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                            || System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                    continue;
                }
                boolean ready = true;
                for (TopicDescription td : d.values()) {
                    if (td.partitions().size() != partitions) {
                        ready = false;
                    }
                    for (TopicPartitionInfo pi : td.partitions()) {
                        if (pi.leader() == null || pi.leader().isEmpty()) {
                            ready = false;
                        }
                        if (pi.replicas().size() != rf || pi.isr().size() != rf) {
                            ready = false;
                        }
                    }
                }
                if (ready) {
                    System.out.println("created " + names + " with " + partitions + " partitions each, replication factor "
                            + rf + (minIsr == null ? "" : ", min.insync.replicas " + minIsr));
                    if (rf > 1) {
                        for (TopicDescription td : d.values()) {
                            for (TopicPartitionInfo pi : td.partitions()) {
                                System.out.println(td.name() + "-" + pi.partition() + " leader " + pi.leader().id()
                                        + " replicas " + ids(pi.replicas()) + " isr " + ids(pi.isr()));
                            }
                        }
                    }
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("partitions without leader or full ISR after " + waitMs + " ms: " + d);
                }
                Thread.sleep(100);
            }
        }
    }

    private static List<Integer> ids(List<org.apache.kafka.common.Node> nodes) {
        List<Integer> out = new ArrayList<>();
        for (org.apache.kafka.common.Node n : nodes) {
            out.add(n.id());
        }
        return out;
    }
}
