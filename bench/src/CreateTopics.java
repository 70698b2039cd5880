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

/**
 * Creates the benchmark topics with one Admin call and waits until every partition has a leader,
 * so no workload starts against a topic that is still being set up. For bench/run.sh.
 *
 * <pre>java -cp kafka-libs/* CreateTopics BOOTSTRAP PARTITIONS TOPIC...</pre>
 */
public final class CreateTopics {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int partitions = Integer.parseInt(args[1]);
        List<NewTopic> topics = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            topics.add(new NewTopic(args[i], partitions, (short) 1));
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
            long deadline = System.currentTimeMillis() + 30000;
            while (true) {
                Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get();
                boolean ready = true;
                for (TopicDescription td : d.values()) {
                    if (td.partitions().size() != partitions) {
                        ready = false;
                    }
                    for (TopicPartitionInfo pi : td.partitions()) {
                        if (pi.leader() == null || pi.leader().isEmpty()) {
                            ready = false;
                        }
                    }
                }
                if (ready) {
                    System.out.println("created " + names + " with " + partitions + " partitions each");
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("partitions without leader after 30 s: " + d);
                }
                Thread.sleep(100);
            }
        }
    }
}
