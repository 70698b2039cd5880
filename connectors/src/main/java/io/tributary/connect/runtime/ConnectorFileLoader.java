package io.tributary.connect.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.connect.state.Json;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads connect.config.file: connectors declared up front. A .properties file is one connector, as Kafka's
 * standalone mode takes it (name=..., connector.class=...); a JSON file is one connector
 * ({"name": ..., "config": {...}}), an array of them, or {"connectors": [...]}.
 */
public final class ConnectorFileLoader {

    /** A connector read from the file. */
    public record Declared(String name, Map<String, String> config) {
    }

    private ConnectorFileLoader() {
    }

    public static List<Declared> read(Path file) throws IOException {
        if (file.toString().endsWith(".properties")) {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
            Map<String, String> config = new LinkedHashMap<>();
            props.stringPropertyNames().forEach(k -> config.put(k, props.getProperty(k).trim()));
            return List.of(declared(config.get(ConnectorConfig.NAME), config, file));
        }
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        JsonNode list = root.isArray() ? root : root.has("connectors") ? root.get("connectors") : null;
        List<Declared> declared = new ArrayList<>();
        if (list == null) {
            declared.add(fromJson(root, file));
        } else {
            for (JsonNode node : list) {
                declared.add(fromJson(node, file));
            }
        }
        return declared;
    }

    private static Declared fromJson(JsonNode node, Path file) {
        JsonNode configNode = node.has("config") ? node.get("config") : node;
        Map<String, String> config = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = configNode.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            config.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText());
        }
        String name = node.has("name") ? node.get("name").asText() : config.get(ConnectorConfig.NAME);
        return declared(name, config, file);
    }

    private static Declared declared(String name, Map<String, String> config, Path file) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(file + ": every connector needs a \"name\"");
        }
        return new Declared(name, config);
    }
}
