package io.tributary.connect.jdbc;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a sink record into a row: the key columns the pk.mode asks for, then the value's fields. */
final class RowMapper {

    private final String tableFormat;
    private final String pkMode;
    private final List<String> pkFields;

    RowMapper(JdbcSinkConfig config) {
        this.tableFormat = config.getString(JdbcSinkConfig.TABLE_NAME_FORMAT);
        this.pkMode = config.pkMode();
        this.pkFields = config.pkFields();
    }

    Row map(SinkRecord record) {
        Map<String, Column> columns = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        switch (pkMode) {
            case "kafka" -> {
                put(columns, values, new Column("__connect_topic", Schema.STRING_SCHEMA, true), record.topic());
                put(columns, values, new Column("__connect_partition", Schema.INT32_SCHEMA, true), record.kafkaPartition());
                put(columns, values, new Column("__connect_offset", Schema.INT64_SCHEMA, true), record.kafkaOffset());
            }
            case "record_key" -> addKey(record, columns, values);
            default -> { }
        }
        addValue(record, columns, values);
        String table = tableFormat.replace("${topic}", record.topic());
        return new Row(table, List.copyOf(columns.values()), new ArrayList<>(values.values()));
    }

    private void addKey(SinkRecord record, Map<String, Column> columns, Map<String, Object> values) {
        if (record.key() == null) {
            throw new DataException("pk.mode=record_key but the record at offset " + record.kafkaOffset() + " has no key");
        }
        if (record.key() instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                if (pkFields.isEmpty() || pkFields.contains(field.name())) {
                    put(columns, values, new Column(field.name(), field.schema(), true), struct.get(field));
                }
            }
        } else {
            String name = pkFields.isEmpty() ? "id" : pkFields.get(0);
            put(columns, values, new Column(name, schemaOf(record.keySchema(), record.key()), true), record.key());
        }
    }

    private void addValue(SinkRecord record, Map<String, Column> columns, Map<String, Object> values) {
        Object value = record.value();
        boolean valueKey = "record_value".equals(pkMode);
        if (value instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                boolean pk = (valueKey && pkFields.contains(field.name())) || isKey(columns, field.name());
                put(columns, values, new Column(field.name(), field.schema(), pk), struct.get(field));
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                boolean pk = (valueKey && pkFields.contains(name)) || isKey(columns, name);
                put(columns, values, new Column(name, schemaOf(null, e.getValue()), pk), e.getValue());
            }
        } else if (value != null) {
            put(columns, values, new Column("value", schemaOf(record.valueSchema(), value), false), value);
        } else {
            throw new DataException("The record at offset " + record.kafkaOffset() + " has no value (tombstones are not written)");
        }
    }

    private static boolean isKey(Map<String, Column> columns, String name) {
        Column existing = columns.get(name);
        return existing != null && existing.primaryKey();
    }

    private static void put(Map<String, Column> columns, Map<String, Object> values, Column column, Object value) {
        columns.put(column.name(), column);
        values.put(column.name(), value);
    }

    /** The schema of a schemaless value, from its Java type (nullable: another record may omit it). */
    private static Schema schemaOf(Schema declared, Object value) {
        if (declared != null) {
            return declared;
        }
        SchemaBuilder builder;
        if (value instanceof Long) {
            builder = SchemaBuilder.int64();
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            builder = SchemaBuilder.int32();
        } else if (value instanceof Double || value instanceof Float) {
            builder = SchemaBuilder.float64();
        } else if (value instanceof Boolean) {
            builder = SchemaBuilder.bool();
        } else if (value instanceof byte[]) {
            builder = SchemaBuilder.bytes();
        } else {
            builder = SchemaBuilder.string();
        }
        return builder.optional().build();
    }
}
