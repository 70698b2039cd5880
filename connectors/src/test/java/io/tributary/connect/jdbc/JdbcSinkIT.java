package io.tributary.connect.jdbc;

import io.tributary.connect.testing.ConnectHarness;
import io.tributary.connect.testing.PostgresServer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** The JDBC sink against a real PostgreSQL server started for the test. */
class JdbcSinkIT {

    private static PostgresServer postgres;

    @TempDir
    Path dir;
    private ConnectHarness harness;

    @BeforeAll
    static void startPostgres() throws Exception {
        var bin = PostgresServer.binaries();
        assumeThat(bin).as("PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)").isPresent();
        postgres = PostgresServer.start(bin.get());
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void everyRecordIsInsertedExactlyOnceThroughRestartsAndARewoundGroupPosition() throws Exception {
        harness = ConnectHarness.start(dir);
        harness.append("orders", orders(0, 300));
        Map<String, String> config = new HashMap<>(Map.of(
                "connector.class", "JdbcSinkConnector", "topics", "orders",
                "connection.url", postgres.jdbcUrl(), "connection.user", postgres.user(),
                "insert.mode", "insert", "batch.size", "40", "table.name.format", "orders_${topic}"));
        assertThat(harness.rest().put("/connectors/jdbc-orders/config", config).status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM orders_orders") == 300);

        // Stop the connector and move its group position back to the start, as if the broker commit had been lost.
        assertThat(harness.rest().put("/connectors/jdbc-orders/stop", Map.of()).status()).isEqualTo(204);
        TopicPartition orders = new TopicPartition("orders", 0);
        harness.onContext(() -> harness.api().groups().commit("connect-jdbc-orders", Map.of(orders, 0L)));
        harness.append("orders", orders(300, 600));
        harness.restart();
        assertThat(harness.rest().connectorState("jdbc-orders")).isEqualTo("STOPPED");
        assertThat(harness.rest().put("/connectors/jdbc-orders/resume", Map.of()).status()).isEqualTo(202);

        // Restart again in the middle of the stream.
        harness.append("orders", orders(600, 1500));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM orders_orders") > 600);
        harness.restart();
        harness.append("orders", orders(1500, 1600));

        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM orders_orders") >= 1600);
        assertThat(count("SELECT count(*) FROM orders_orders")).isEqualTo(1600);
        assertThat(count("SELECT count(DISTINCT id) FROM orders_orders")).isEqualTo(1600);
        assertThat(count("SELECT min(id) FROM orders_orders")).isZero();
        assertThat(count("SELECT max(id) FROM orders_orders")).isEqualTo(1599);
        assertThat(count("SELECT count(*) FROM orders_orders WHERE name = 'order-' || id")).isEqualTo(1600);
        assertThat(count("SELECT next_offset FROM __connect_offsets WHERE connector = 'jdbc-orders'")).isEqualTo(1600);
    }

    @Test
    void upsertKeepsOneRowPerKeyInATableCreatedFromTheSchema() throws Exception {
        harness = ConnectHarness.start(dir);
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < 5; k++) {
                keys.add("sku-" + k);
                values.add(stock(k * 10 + round, round == 2 && k == 4 ? null : "shelf-" + round));
            }
        }
        harness.append("stock", keys, values);
        assertThat(harness.rest().post("/connectors", Map.of("name", "jdbc-stock", "config", Map.of(
                "connector.class", "io.tributary.connect.jdbc.JdbcSinkConnector", "topics", "stock",
                "connection.url", postgres.jdbcUrl(), "connection.user", postgres.user(),
                "insert.mode", "upsert", "pk.mode", "record_key", "pk.fields", "sku",
                "key.converter", "org.apache.kafka.connect.storage.StringConverter"))).status()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM stock WHERE qty % 10 = 2") == 5);
        assertThat(count("SELECT count(*) FROM stock")).isEqualTo(5);
        assertThat(count("SELECT qty FROM stock WHERE sku = 'sku-3'")).isEqualTo(32);
        assertThat(count("SELECT count(*) FROM stock WHERE shelf IS NULL")).isEqualTo(1);
        assertThat(columnType("stock", "qty")).isEqualTo("bigint");
        assertThat(columnType("stock", "shelf")).isEqualTo("text");
        assertThat(columnType("stock", "sku")).isEqualTo("text");
    }

    private static List<String> orders(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "{\"schema\":{\"type\":\"struct\",\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int64\"},{\"field\":\"name\",\"type\":\"string\"}]},"
                + "\"payload\":{\"id\":" + i + ",\"name\":\"order-" + i + "\"}}").toList();
    }

    private static String stock(long qty, String shelf) {
        return "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"field\":\"qty\",\"type\":\"int64\"},"
                + "{\"field\":\"shelf\",\"type\":\"string\",\"optional\":true}]},"
                + "\"payload\":{\"qty\":" + qty + ",\"shelf\":" + (shelf == null ? "null" : "\"" + shelf + "\"") + "}}";
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return -1; // the table does not exist yet
            }
            throw e;
        }
    }

    private static String columnType(String table, String column) throws SQLException {
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT data_type FROM information_schema.columns WHERE table_name = '"
                     + table + "' AND column_name = '" + column + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
