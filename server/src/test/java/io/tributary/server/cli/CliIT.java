package io.tributary.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.testing.EmbeddedBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The client commands of the fat jar against a real broker: what an operator types and what comes back. */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start(dir, Map.of("offsets.topic.num.partitions", "1"));
    }

    @AfterAll
    static void stop() {
        broker.stop();
    }

    @Test
    void topicsAreCreatedListedDescribedAlteredAndDeleted() throws Exception {
        assertThat(run("topics", "create", "cli-topics", "-p", "3", "-c", "retention.ms=60000").code).isZero();

        Result list = run("topics", "list");
        assertThat(list.out).containsPattern("cli-topics\\s+3\\s+1\\s+false");
        assertThat(list.out).doesNotContain("__consumer_offsets");
        assertThat(run("topics", "list", "--internal").out).contains("__consumer_offsets");

        JsonNode described = JSON.readTree(run("topics", "describe", "cli-topics", "-o", "json").out);
        assertThat(described.get("partitions")).hasSize(3);
        assertThat(described.get("configs").get("retention.ms").asText()).isEqualTo("60000");

        assertThat(run("topics", "alter", "cli-topics", "-c", "retention.ms=120000").code).isZero();
        assertThat(JSON.readTree(run("topics", "describe", "cli-topics", "-o", "json").out)
                .get("configs").get("retention.ms").asText()).isEqualTo("120000");

        assertThat(run("topics", "delete", "cli-topics").code).isZero();
        assertThat(run("topics", "list").out).doesNotContain("cli-topics");
    }

    @Test
    void produceThenConsumeAsAGroupThenInspectAndResetItsLag() throws Exception {
        run("topics", "create", "cli-data", "-p", "2");
        Result produced = runWithInput("k1:v1\nk2:v2\nk3:v3\nk4:v4\n", "produce", "cli-data", "-k", ":", "-o", "json");
        assertThat(JSON.readTree(produced.out).get("records").asLong()).isEqualTo(4);

        Result consumed = run("consume", "cli-data", "-g", "cli-group", "--from-beginning", "-n", "4", "-o", "json");
        List<JsonNode> records = new ArrayList<>();
        for (String line : consumed.out.strip().split("\n")) {
            records.add(JSON.readTree(line));
        }
        assertThat(records).extracting(r -> r.get("key").asText() + "=" + r.get("value").asText())
                .containsExactlyInAnyOrder("k1=v1", "k2=v2", "k3=v3", "k4=v4");

        assertThat(run("groups", "list").out).containsPattern("cli-group\\s+classic\\s+Empty");
        JsonNode group = JSON.readTree(run("groups", "describe", "cli-group", "-o", "json").out);
        assertThat(group.get("lag").asLong()).isZero();

        Result plan = run("groups", "reset-offsets", "cli-group", "-t", "cli-data", "--to-earliest");
        assertThat(plan.out).contains("false");
        assertThat(JSON.readTree(run("groups", "describe", "cli-group", "-o", "json").out).get("lag").asLong())
                .as("a plan without --execute changes nothing").isZero();
        assertThat(run("groups", "reset-offsets", "cli-group", "-t", "cli-data", "--to-earliest", "--execute").code)
                .isZero();
        assertThat(JSON.readTree(run("groups", "describe", "cli-group", "-o", "json").out).get("lag").asLong())
                .isEqualTo(4);

        assertThat(run("groups", "delete", "cli-group").code).isZero();
        assertThat(run("groups", "list").out).doesNotContain("cli-group");
    }

    @Test
    void clusterDescribeNamesThisBroker() throws Exception {
        JsonNode cluster = JSON.readTree(run("cluster", "describe", "-o", "json").out);
        assertThat(cluster.get("cluster_id").asText()).isEqualTo(broker.broker().clusterId());
        assertThat(cluster.get("members")).hasSize(1);
        assertThat(cluster.get("members").get(0).get("port").asInt()).isEqualTo(broker.port());
    }

    @Test
    void failuresAreOneLineOnStderrWithExitCodeOne() {
        Result missing = run("topics", "describe", "cli-absent");
        assertThat(missing.code).isEqualTo(1);
        assertThat(missing.err.strip()).startsWith("Error: ").doesNotContain("\n").doesNotContain("at io.");
        Result consume = run("consume", "cli-absent", "-n", "1");
        assertThat(consume.code).isEqualTo(1);
        assertThat(consume.err).contains("cli-absent does not exist");
        assertThat(run("topics", "list").out).as("consume must not auto-create").doesNotContain("cli-absent");
        Result badFlag = run("topics", "alter", "x");
        assertThat(badFlag.code).isEqualTo(1);
        assertThat(badFlag.err).contains("Nothing to change");
    }

    private Result run(String... args) {
        return execute(new CommandLine(new TopLevel()), args);
    }

    private Result runWithInput(String stdin, String... args) {
        CommandLine produce = new CommandLine(new ProduceCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        return execute(produce, rest);
    }

    private Result execute(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-b");
        all.add(broker.bootstrapServers());
        int code = cli.setCaseInsensitiveEnumValuesAllowed(true).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err)).execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** The client commands as Main registers them, without the broker-starting top level. */
    @CommandLine.Command(name = "tributary", subcommands = {TopicsCommand.class, GroupsCommand.class,
            ProduceCommand.class, ConsumeCommand.class, ClusterCommand.class})
    static final class TopLevel {
    }

    private record Result(int code, String out, String err) {
    }
}
