package io.tributary.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders rows (ordered maps of column name to value) either as an aligned table or as a JSON array with
 * the same keys, so every command has one view model and both outputs always agree.
 */
final class Printer {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final PrintWriter out;
    private final OutputFormat format;

    Printer(PrintWriter out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    void rows(List<? extends Map<String, ?>> rows) {
        if (format == OutputFormat.JSON) {
            json(rows);
        } else {
            table(rows);
        }
    }

    /** A single object: JSON as is, a table as KEY VALUE lines. */
    void object(Map<String, ?> object) {
        if (format == OutputFormat.JSON) {
            json(object);
            return;
        }
        int width = object.keySet().stream().mapToInt(String::length).max().orElse(0);
        object.forEach((k, v) -> out.println(pad(k.toUpperCase(java.util.Locale.ROOT), width) + "  " + text(v)));
        out.flush();
    }

    void json(Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot render JSON", e);
        }
        out.flush();
    }

    void line(String text) {
        out.println(text);
        out.flush();
    }

    private void table(List<? extends Map<String, ?>> rows) {
        if (rows.isEmpty()) {
            out.println("(none)");
            out.flush();
            return;
        }
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (Map<String, ?> row : rows) {
                widths[c] = Math.max(widths[c], text(row.get(columns.get(c))).length());
            }
        }
        StringBuilder header = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            header.append(pad(columns.get(c).toUpperCase(java.util.Locale.ROOT), widths[c])).append("  ");
        }
        out.println(header.toString().stripTrailing());
        for (Map<String, ?> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns.size(); c++) {
                line.append(pad(text(row.get(columns.get(c))), widths[c])).append("  ");
            }
            out.println(line.toString().stripTrailing());
        }
        out.flush();
    }

    private static String text(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Iterable<?> items) {
            List<String> parts = new ArrayList<>();
            items.forEach(i -> parts.add(String.valueOf(i)));
            return String.join(",", parts);
        }
        return String.valueOf(value);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
