package io.tributary.connect.jdbc;

import org.apache.kafka.connect.data.Schema;

/** One column of a row: its name, the Connect schema its SQL type comes from, and whether it is part of the key. */
record Column(String name, Schema schema, boolean primaryKey) {
}
