package io.tributary.connect.jdbc;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Writes records to PostgreSQL tables: plain inserts or upserts by key, tables created from the record's
 * schema, rows batched, and the consumed offsets kept in the same transaction as the rows so that each
 * record is written exactly once, whatever restarts in between.
 */
public final class JdbcSinkConnector extends SinkConnector {

    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        new JdbcSinkConfig(props);
        this.config = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return JdbcSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return new ArrayList<>(Collections.nCopies(maxTasks, config));
    }

    @Override
    public void stop() {
    }

    @Override
    public ConfigDef config() {
        return JdbcSinkConfig.DEFINITION;
    }

    @Override
    public Config validate(Map<String, String> props) {
        Config config = super.validate(props);
        String mode = props.getOrDefault(JdbcSinkConfig.INSERT_MODE, "insert");
        String pkMode = props.getOrDefault(JdbcSinkConfig.PK_MODE, "none");
        if ("upsert".equals(mode) && "none".equals(pkMode)) {
            for (ConfigValue value : config.configValues()) {
                if (value.name().equals(JdbcSinkConfig.PK_MODE)) {
                    value.addErrorMessage("insert.mode=upsert needs a primary key: set pk.mode to kafka, record_key or record_value");
                }
            }
        }
        if ("record_value".equals(pkMode) && props.getOrDefault(JdbcSinkConfig.PK_FIELDS, "").isBlank()) {
            for (ConfigValue value : config.configValues()) {
                if (value.name().equals(JdbcSinkConfig.PK_FIELDS)) {
                    value.addErrorMessage("pk.mode=record_value needs the key columns in pk.fields");
                }
            }
        }
        return config;
    }

    @Override
    public String version() {
        return "1.0";
    }
}
