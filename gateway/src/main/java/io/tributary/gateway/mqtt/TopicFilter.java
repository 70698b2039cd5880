package io.tributary.gateway.mqtt;

import java.nio.charset.StandardCharsets;

/** MQTT topic names and filters: validation and wildcard matching (+ one level, # the rest). */
final class TopicFilter {

    private static final int MAX_TOPIC_BYTES = 65535;

    private TopicFilter() {
    }

    /** A topic a client may publish to: non-empty, no wildcards, no NUL, at most 65535 UTF-8 bytes. */
    static boolean isValidTopicName(String topic) {
        if (topic == null || topic.isEmpty() || topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\u0000' || Character.isSurrogate(c) && !validSurrogate(topic, i)) {
                return false;
            }
        }
        return true;
    }

    /** A filter a client may subscribe to: + alone in its level, # alone and last. */
    static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.indexOf('\u0000') >= 0) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code topic} matches {@code filter}; wildcards in the first level do not match $-topics. */
    static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        int f = 0;
        int t = 0;
        int fl = filter.length();
        int tl = topic.length();
        while (f < fl) {
            int fEnd = levelEnd(filter, f);
            String level = filter.substring(f, fEnd);
            if (level.equals("#")) {
                return true;
            }
            if (t > tl) {
                return false;
            }
            int tEnd = levelEnd(topic, t);
            if (!level.equals("+") && !level.equals(topic.substring(t, tEnd))) {
                return false;
            }
            f = fEnd + 1;
            t = tEnd + 1;
            // "a/#" also matches "a": the filter's next level is a trailing #.
            if (t > tl && f < fl && filter.substring(f).equals("#")) {
                return true;
            }
        }
        return t > tl;
    }

    /** Whether some topic could match both filters (used to find the Kafka topics a subscription reads). */
    static boolean intersects(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        int n = Math.max(x.length, y.length);
        for (int i = 0; i < n; i++) {
            String p = i < x.length ? x[i] : null;
            String q = i < y.length ? y[i] : null;
            if ("#".equals(p) || "#".equals(q)) {
                return true;
            }
            if (p == null || q == null) {
                return false;
            }
            if (!p.equals("+") && !q.equals("+") && !p.equals(q)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every topic matching {@code filter} also matches {@code pattern} (a permission covering a subscription). */
    static boolean covers(String pattern, String filter) {
        String[] p = pattern.split("/", -1);
        String[] f = filter.split("/", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals("#")) {
                return true;
            }
            if (i >= f.length || f[i].equals("#")) {
                return false;
            }
            if (!p[i].equals("+") && (f[i].equals("+") || !p[i].equals(f[i]))) {
                return false;
            }
        }
        return p.length == f.length;
    }

    /** The first level of a topic or filter. */
    static String firstLevel(String topic) {
        int slash = topic.indexOf('/');
        return slash < 0 ? topic : topic.substring(0, slash);
    }

    private static int levelEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
