package io.tributary.connect.jdbc;

import java.util.List;

/** A record as a row of a table: columns and their values, in the same order. */
record Row(String table, List<Column> columns, List<Object> values) {

    /** Rows with the same shape share one prepared statement and one batch. */
    String shape() {
        StringBuilder shape = new StringBuilder(table);
        for (Column column : columns) {
            shape.append('\u0000').append(column.name()).append(column.primaryKey() ? "*" : "");
        }
        return shape.toString();
    }
}
