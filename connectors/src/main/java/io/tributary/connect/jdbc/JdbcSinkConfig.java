package io.tributary.connect.jdbc;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

import java.util.List;
import java.util.Map;

/** Settings of the JDBC sink, with the names of Confluent's JDBC sink where it has them. */
final class JdbcSinkConfig extends AbstractConfig {

    static final String CONNECTION_URL = "connection.url";
    static final String CONNECTION_USER = "connection.user";
    static final String CONNECTION_PASSWORD = "connection.password";
    static final String TABLE_NAME_FORMAT = "table.name.format";
    static final String INSERT_MODE = "insert.mode";
    static final String PK_MODE = "pk.mode";
    static final String PK_FIELDS = "pk.fields";
    static final String AUTO_CREATE = "auto.create";
    static final String BATCH_SIZE = "batch.size";
    static final String MAX_RETRIES = "max.retries";
    static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    static final String OFFSETS_TABLE = "offsets.table.name";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(CONNECTION_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new UrlValidator(), Importance.HIGH,
                    "JDBC URL of the PostgreSQL database, jdbc:postgresql://host:port/db.")
            .define(CONNECTION_USER, Type.STRING, null, Importance.HIGH, "Database user.")
            .define(CONNECTION_PASSWORD, Type.PASSWORD, null, Importance.HIGH, "Database password.")
            .define(TABLE_NAME_FORMAT, Type.STRING, "${topic}", Importance.MEDIUM,
                    "Table of each record; ${topic} is replaced by the record's topic.")
            .define(INSERT_MODE, Type.STRING, "insert", ConfigDef.ValidString.in("insert", "upsert"), Importance.HIGH,
                    "insert: every record is a new row; upsert: a row per primary key, updated in place.")
            .define(PK_MODE, Type.STRING, "none", ConfigDef.ValidString.in("none", "kafka", "record_key", "record_value"),
                    Importance.HIGH, "Where the primary key comes from: none, kafka (topic, partition, offset),"
                            + " record_key (the key's fields, or the key itself as pk.fields[0]), record_value (pk.fields of the value).")
            .define(PK_FIELDS, Type.LIST, "", Importance.MEDIUM,
                    "Primary key columns (record_value: value fields; record_key: key fields, or the name of a primitive key).")
            .define(AUTO_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Create missing tables from the first record's schema.")
            .define(BATCH_SIZE, Type.INT, 500, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
                    "Most rows sent to the database in one JDBC batch.")
            .define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Database failures tolerated in a row before the task fails (and is restarted).")
            .define(RETRY_BACKOFF_MS, Type.LONG, 1000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                    "Wait before retrying after a database failure.")
            .define(OFFSETS_TABLE, Type.STRING, "__connect_offsets", Importance.LOW,
                    "Table holding, per connector and partition, the next offset to write; updated in the same"
                            + " transaction as the rows, so every offset is written exactly once.");

    JdbcSinkConfig(Map<String, String> props) {
        super(DEFINITION, props);
    }

    boolean upsert() {
        return "upsert".equals(getString(INSERT_MODE));
    }

    String pkMode() {
        return getString(PK_MODE);
    }

    List<String> pkFields() {
        return getList(PK_FIELDS);
    }

    String password() {
        return getPassword(CONNECTION_PASSWORD) == null ? null : getPassword(CONNECTION_PASSWORD).value();
    }

    /** The URL must be a PostgreSQL JDBC URL: the SQL this sink writes is PostgreSQL's. */
    private static final class UrlValidator implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value == null || !value.toString().startsWith("jdbc:postgresql:")) {
                throw new org.apache.kafka.common.config.ConfigException(name, value,
                        "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
            }
        }
    }
}
