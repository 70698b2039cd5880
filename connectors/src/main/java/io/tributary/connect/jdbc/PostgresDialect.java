package io.tributary.connect.jdbc;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

import java.util.List;
import java.util.stream.Collectors;

/** The SQL the sink writes, in PostgreSQL's dialect: quoted identifiers, ON CONFLICT upserts. */
final class PostgresDialect {

    private PostgresDialect() {
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String createTable(Row row) {
        String columns = row.columns().stream()
                .map(c -> quote(c.name()) + " " + sqlType(c.schema()) + (c.primaryKey() || !c.schema().isOptional() ? " NOT NULL" : ""))
                .collect(Collectors.joining(", "));
        List<String> keys = row.columns().stream().filter(Column::primaryKey).map(c -> quote(c.name())).toList();
        String pk = keys.isEmpty() ? "" : ", PRIMARY KEY (" + String.join(", ", keys) + ")";
        return "CREATE TABLE IF NOT EXISTS " + quote(row.table()) + " (" + columns + pk + ")";
    }

    static String insert(Row row, boolean upsert) {
        String names = row.columns().stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
        String params = row.columns().stream().map(c -> "?").collect(Collectors.joining(", "));
        String sql = "INSERT INTO " + quote(row.table()) + " (" + names + ") VALUES (" + params + ")";
        if (!upsert) {
            return sql;
        }
        List<String> keys = row.columns().stream().filter(Column::primaryKey).map(c -> quote(c.name())).toList();
        List<String> updates = row.columns().stream().filter(c -> !c.primaryKey())
                .map(c -> quote(c.name()) + " = EXCLUDED." + quote(c.name())).toList();
        return sql + " ON CONFLICT (" + String.join(", ", keys) + ") DO "
                + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
    }

    static String sqlType(Schema schema) {
        String logical = schema.name();
        if (Decimal.LOGICAL_NAME.equals(logical)) {
            return "NUMERIC";
        } else if (Date.LOGICAL_NAME.equals(logical)) {
            return "DATE";
        } else if (Time.LOGICAL_NAME.equals(logical)) {
            return "TIME";
        } else if (Timestamp.LOGICAL_NAME.equals(logical)) {
            return "TIMESTAMP";
        }
        return switch (schema.type()) {
            case INT8, INT16 -> "SMALLINT";
            case INT32 -> "INTEGER";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "REAL";
            case FLOAT64 -> "DOUBLE PRECISION";
            case BOOLEAN -> "BOOLEAN";
            case BYTES -> "BYTEA";
            default -> "TEXT"; // strings, and nested structs, arrays and maps as their text
        };
    }

    /** A value as the JDBC driver takes it for the column's type. */
    static Object jdbcValue(Column column, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof java.util.Date date) {
            String logical = column.schema().name();
            if (Date.LOGICAL_NAME.equals(logical)) {
                return new java.sql.Date(date.getTime());
            } else if (Time.LOGICAL_NAME.equals(logical)) {
                return new java.sql.Time(date.getTime());
            }
            return new java.sql.Timestamp(date.getTime());
        }
        if (value instanceof Byte b) {
            return b.shortValue();
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof String || value instanceof byte[]
                || value instanceof java.math.BigDecimal) {
            return value;
        }
        return value.toString();
    }
}
