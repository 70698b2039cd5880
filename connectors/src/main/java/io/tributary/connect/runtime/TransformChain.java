package io.tributary.connect.runtime;

import io.tributary.connect.plugins.Plugins;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The single message transforms of a connector, applied in the order of "transforms", each optionally
 * conditioned on a predicate ("transforms.{alias}.predicate", negated by "transforms.{alias}.negate").
 */
public final class TransformChain<R extends ConnectRecord<R>> implements AutoCloseable {

    private record Stage<R extends ConnectRecord<R>>(Transformation<R> transformation, Predicate<R> predicate,
                                                     boolean negate) {
        boolean applies(R record) {
            return predicate == null || predicate.test(record) != negate;
        }
    }

    private final List<Stage<R>> stages;

    private TransformChain(List<Stage<R>> stages) {
        this.stages = stages;
    }

    @SuppressWarnings("unchecked")
    public static <R extends ConnectRecord<R>> TransformChain<R> create(Plugins plugins, Map<String, String> config,
                                                                        ClassLoader connectorLoader) {
        Map<String, Predicate<R>> predicates = new HashMap<>();
        for (String alias : ConnectorConfig.list(config, ConnectorConfig.PREDICATES)) {
            String prefix = "predicates." + alias + ".";
            Predicate<R> predicate = plugins.newInstance(required(config, prefix + "type"), Predicate.class, connectorLoader);
            predicate.configure(RecordConverters.prefixed(config, prefix));
            predicates.put(alias, predicate);
        }
        List<Stage<R>> stages = new ArrayList<>();
        for (String alias : ConnectorConfig.list(config, ConnectorConfig.TRANSFORMS)) {
            String prefix = "transforms." + alias + ".";
            Transformation<R> transformation = plugins.newInstance(required(config, prefix + "type"),
                    Transformation.class, connectorLoader);
            transformation.configure(RecordConverters.prefixed(config, prefix));
            String predicateAlias = config.get(prefix + "predicate");
            Predicate<R> predicate = predicateAlias == null ? null : predicates.get(predicateAlias.trim());
            if (predicateAlias != null && predicate == null) {
                throw new IllegalArgumentException(prefix + "predicate names an unknown predicate '" + predicateAlias + "'");
            }
            stages.add(new Stage<>(transformation, predicate, Boolean.parseBoolean(config.getOrDefault(prefix + "negate", "false"))));
        }
        return new TransformChain<>(stages);
    }

    private static String required(Map<String, String> config, String key) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing required configuration \"" + key + "\"");
        }
        return value.trim();
    }

    /** The transformed record, or null when a transformation drops it. */
    public R apply(R record) {
        R current = record;
        for (Stage<R> stage : stages) {
            if (current == null) {
                return null;
            }
            if (stage.applies(current)) {
                current = stage.transformation().apply(current);
            }
        }
        return current;
    }

    @Override
    public void close() {
        for (Stage<R> stage : stages) {
            stage.transformation().close();
            if (stage.predicate() != null) {
                stage.predicate().close();
            }
        }
    }
}
