package io.tributary.server;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.ConfigException;
import io.tributary.server.cli.ClusterCommand;
import io.tributary.server.cli.ConsumeCommand;
import io.tributary.server.cli.GroupsCommand;
import io.tributary.server.cli.ProduceCommand;
import io.tributary.server.cli.TopicsCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar tributary.jar [FILE.properties] [--override key=value]...} starts a broker;
 * {@code java -jar tributary.jar topics|groups|produce|consume|cluster ...} talks to a running one.
 */
@Command(name = "tributary", mixinStandardHelpOptions = true, versionProvider = Version.Provider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Starts a Tributary broker: a Kafka-compatible event streaming platform."
                + " With a command, manages a running cluster instead.",
        footer = {"",
                "Every config key can also be set in the environment as TRIBUTARY_ + the key",
                "upper-cased with dots as underscores (log.dirs -> TRIBUTARY_LOG_DIRS).",
                "Precedence: built-in defaults < FILE < environment < --override.",
                "Exit codes: 0 stopped cleanly, 1 failed to start, 2 bad arguments or config."})
public final class Main implements Callable<Integer> {

    static final int EXIT_START_FAILED = 1;
    static final int EXIT_BAD_CONFIG = 2;

    /** The commands that are client tools rather than the broker; their logging goes to stderr. */
    private static final Set<String> CLIENT_COMMANDS = Set.of("topics", "groups", "produce", "consume", "cluster");

    @Parameters(arity = "0..1", paramLabel = "FILE.properties", description = "Config file (Java properties).")
    Path file;

    @Option(names = "--override", paramLabel = "key=value", description = "Sets a config key; may be repeated.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--training-run", description = {
            "Starts from the embedded defaults on free loopback ports with a temporary data dir, serves one round of",
            "Kafka client traffic to itself, stops and exits. Under -XX:ArchiveClassesAtExit=FILE this writes a",
            "class-data-sharing archive that halves start-up time; bin/tributary builds and uses one."})
    boolean trainingRun;

    @Spec
    CommandSpec spec;

    private final long startNanos = System.nanoTime();
    private final Map<String, String> env;

    Main(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        if (args.length > 0 && CLIENT_COMMANDS.contains(args[0])) {
            // Read by DefaultLogging before the first logger exists: stdout stays clean for the command's output.
            System.setProperty("tributary.log.target", "System.err");
            System.setProperty("tributary.log.level", "WARN");
        } else {
            StartupWarmup.begin();
        }
        // Hazelcast logs through SLF4J, like everything else, unless told otherwise.
        if (System.getProperty("hazelcast.logging.type") == null) {
            System.setProperty("hazelcast.logging.type", "slf4j");
        }
        // Netty's buffer allocator emits Flight Recorder events when JFR is available: their first use sets up
        // JFR's event machinery, about 0.15 s in the path of the first request. Opt back in with the property.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        int code = commandLine(System.getenv(), args).execute(args);
        // A training run's archive is written as the JVM exits: exit now, not when the last thread ends.
        if (code != 0 || List.of(args).contains("--training-run")) {
            System.exit(code);
        }
    }

    /**
     * The command line for {@code args}. The client commands are only built when one is run or help is asked for:
     * building them loads their classes (Jackson's databind among them), which a broker's start has no use for.
     */
    static CommandLine commandLine(Map<String, String> env, String... args) {
        CommandLine commandLine = new CommandLine(new Main(env));
        List<String> given = List.of(args);
        boolean clientCommand = !given.isEmpty() && CLIENT_COMMANDS.contains(given.get(0));
        if (clientCommand || given.contains("--help") || given.contains("-h")) {
            for (Class<?> command : List.of(TopicsCommand.class, GroupsCommand.class, ProduceCommand.class,
                    ConsumeCommand.class, ClusterCommand.class)) {
                commandLine.addSubcommand(command);
            }
        }
        // After the subcommands: picocli applies this setting only to those registered at the time.
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public Integer call() throws InterruptedException, IOException {
        if (trainingRun) {
            return trainingRun();
        }
        Optional<BrokerConfig> config = loadConfig();
        if (config.isEmpty()) {
            return EXIT_BAD_CONFIG;
        }
        return new BrokerLauncher(config.get(), spec.commandLine().getErr(), startNanos).run();
    }

    private int trainingRun() throws InterruptedException, IOException {
        if (file != null || !overrides.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--training-run starts from the embedded defaults: it takes no config file and no --override");
        }
        Path dataDir = Files.createTempDirectory("tributary-training");
        try {
            BrokerConfig config = BrokerConfig.parse(ConfigLoader.load(Optional.empty(), Map.of(),
                    TrainingRun.overrides(dataDir)));
            return new BrokerLauncher(config, spec.commandLine().getErr(), startNanos).run(TrainingRun::exercise);
        } finally {
            TrainingRun.deleteData(dataDir);
        }
    }

    /** The validated config, or empty after printing why it is refused. */
    Optional<BrokerConfig> loadConfig() {
        try {
            List<String> ignored = ConfigLoader.unmatchedEnv(env);
            if (!ignored.isEmpty()) {
                LoggerFactory.getLogger(Main.class).warn("Ignoring environment variables that name no config key: {}", String.join(", ", ignored));
            }
            return Optional.of(BrokerConfig.parse(ConfigLoader.load(Optional.ofNullable(file), env, overrides)));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            spec.commandLine().getErr().flush();
            return Optional.empty();
        }
    }
}
