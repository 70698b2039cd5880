package io.tributary.server.cli;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code tributary cluster describe}. */
@Command(name = "cluster", description = "Shows the cluster's members.", mixinStandardHelpOptions = true,
        subcommands = ClusterCommand.Describe.class)
public final class ClusterCommand {

    @Command(name = "describe", description = "Cluster id, controller and members.", mixinStandardHelpOptions = true)
    static final class Describe extends ClientCommand {

        @Override
        int run() throws ExecutionException, InterruptedException, TimeoutException {
            try (Admin admin = client.admin()) {
                DescribeClusterResult cluster = admin.describeCluster();
                String id = cluster.clusterId().get(30, TimeUnit.SECONDS);
                Node controller = cluster.controller().get(30, TimeUnit.SECONDS);
                List<Node> nodes = new ArrayList<>(cluster.nodes().get(30, TimeUnit.SECONDS));
                nodes.sort(Comparator.comparingInt(Node::id));
                List<Map<String, Object>> members = new ArrayList<>();
                for (Node n : nodes) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("node", n.id());
                    row.put("host", n.host());
                    row.put("port", n.port());
                    row.put("rack", n.rack());
                    row.put("controller", controller != null && controller.id() == n.id());
                    members.add(row);
                }
                Printer printer = printer();
                if (client.output == OutputFormat.JSON) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("cluster_id", id);
                    json.put("controller", controller == null ? null : controller.id());
                    json.put("members", members);
                    printer.json(json);
                } else {
                    printer.line("Cluster " + id);
                    printer.rows(members);
                }
            }
            return 0;
        }
    }
}
