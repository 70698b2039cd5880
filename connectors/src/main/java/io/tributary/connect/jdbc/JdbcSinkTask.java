package io.tributary.connect.jdbc;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes each put() in one transaction together with the partitions' next offsets. On open() it rewinds the
 * runtime to the offsets the database holds, and put() skips anything below them, so neither a redelivery
 * nor a crash between the database commit and the broker commit writes a record twice.
 */
public final class JdbcSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSinkTask.class);

    private JdbcSinkConfig config;
    private RowMapper mapper;
    private OffsetTable offsetTable;
    private Connection connection;
    private final Set<String> createdTables = new HashSet<>();
    /** Next offset to write per partition, as committed in the database. */
    private final Map<TopicPartition, Long> written = new HashMap<>();
    private int failures;

    @Override
    public void start(Map<String, String> props) {
        config = new JdbcSinkConfig(props);
        mapper = new RowMapper(config);
        offsetTable = new OffsetTable(config.getString(JdbcSinkConfig.OFFSETS_TABLE), props.get("name"));
    }

    @Override
    public void open(Collection<TopicPartition> partitions) {
        try {
            Map<TopicPartition, Long> stored = offsetTable.read(connection(), partitions);
            written.putAll(stored);
            context.offset(stored);
        } catch (SQLException e) {
            reset();
            throw new ConnectException("Reading the stored offsets failed", e);
        }
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        partitions.forEach(written::remove);
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            Connection c = connection();
            Map<TopicPartition, Long> next = new HashMap<>();
            Map<String, List<Row>> byShape = new LinkedHashMap<>();
            for (SinkRecord record : records) {
                TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
                Long already = written.get(tp);
                if (already != null && record.kafkaOffset() < already) {
                    continue; // written by an earlier transaction
                }
                Row row = mapper.map(record);
                byShape.computeIfAbsent(row.shape(), s -> new java.util.ArrayList<>()).add(row);
                next.merge(tp, record.kafkaOffset() + 1, Math::max);
            }
            for (List<Row> rows : byShape.values()) {
                write(c, rows);
            }
            offsetTable.write(c, next);
            c.commit();
            written.putAll(next);
            failures = 0;
        } catch (SQLException e) {
            reset();
            if (++failures > config.getInt(JdbcSinkConfig.MAX_RETRIES)) {
                throw new ConnectException("Writing to the database failed " + failures + " times in a row", e);
            }
            LOG.warn("Writing to the database failed (attempt {}); retrying: {}", failures, e.getMessage());
            context.timeout(config.getLong(JdbcSinkConfig.RETRY_BACKOFF_MS));
            throw new RetriableException(e);
        }
    }

    private void write(Connection c, List<Row> rows) throws SQLException {
        Row first = rows.get(0);
        if (config.getBoolean(JdbcSinkConfig.AUTO_CREATE) && createdTables.add(first.table())) {
            try (Statement statement = c.createStatement()) {
                statement.execute(PostgresDialect.createTable(first));
            }
        }
        int batchSize = config.getInt(JdbcSinkConfig.BATCH_SIZE);
        try (PreparedStatement insert = c.prepareStatement(PostgresDialect.insert(first, config.upsert()))) {
            int pending = 0;
            for (Row row : rows) {
                for (int i = 0; i < row.columns().size(); i++) {
                    insert.setObject(i + 1, PostgresDialect.jdbcValue(row.columns().get(i), row.values().get(i)));
                }
                insert.addBatch();
                if (++pending == batchSize) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    /** Only what the database holds may be committed to the broker. */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        currentOffsets.keySet().forEach(tp -> {
            Long next = written.get(tp);
            if (next != null) {
                committed.put(tp, new OffsetAndMetadata(next));
            }
        });
        return committed;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(config.getString(JdbcSinkConfig.CONNECTION_URL),
                    config.getString(JdbcSinkConfig.CONNECTION_USER), config.password());
            connection.setAutoCommit(false);
            offsetTable.create(connection);
            // After a failure the transaction's outcome may be unknown: the database's offsets decide.
            if (!written.isEmpty()) {
                written.putAll(offsetTable.read(connection, new HashSet<>(written.keySet())));
            }
        }
        return connection;
    }

    private void reset() {
        createdTables.clear();
        if (connection != null) {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being discarded anyway
            }
            connection = null;
        }
    }

    @Override
    public void stop() {
        reset();
    }

    @Override
    public String version() {
        return "1.0";
    }
}
