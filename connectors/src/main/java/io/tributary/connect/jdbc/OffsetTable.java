package io.tributary.connect.jdbc;

import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The next offset to write per connector and partition, kept in the target database itself and updated in
 * the rows' transaction: the database, not the broker, says what has been written.
 */
final class OffsetTable {

    private final String table;
    private final String connector;

    OffsetTable(String table, String connector) {
        this.table = PostgresDialect.quote(table);
        this.connector = connector;
    }

    void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + table + " (connector TEXT NOT NULL, topic TEXT NOT NULL,"
                    + " kafka_partition INTEGER NOT NULL, next_offset BIGINT NOT NULL,"
                    + " PRIMARY KEY (connector, topic, kafka_partition))");
        }
        connection.commit();
    }

    Map<TopicPartition, Long> read(Connection connection, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT next_offset FROM " + table
                + " WHERE connector = ? AND topic = ? AND kafka_partition = ?")) {
            for (TopicPartition tp : partitions) {
                select.setString(1, connector);
                select.setString(2, tp.topic());
                select.setInt(3, tp.partition());
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next()) {
                        offsets.put(tp, rs.getLong(1));
                    }
                }
            }
        }
        connection.commit();
        return offsets;
    }

    /** Records the next offsets within the caller's open transaction. */
    void write(Connection connection, Map<TopicPartition, Long> next) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + table
                + " (connector, topic, kafka_partition, next_offset) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (connector, topic, kafka_partition) DO UPDATE SET next_offset = EXCLUDED.next_offset")) {
            for (Map.Entry<TopicPartition, Long> e : next.entrySet()) {
                upsert.setString(1, connector);
                upsert.setString(2, e.getKey().topic());
                upsert.setInt(3, e.getKey().partition());
                upsert.setLong(4, e.getValue());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }
}
