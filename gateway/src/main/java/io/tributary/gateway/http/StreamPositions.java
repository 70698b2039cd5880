package io.tributary.gateway.http;

import java.util.Map;
import java.util.TreeMap;

/**
 * The event id of a streamed record: {@code "<partition>:<offset>|<p0>:<next0>,<p1>:<next1>,..."}, the record's
 * own position followed by the next offset to read of every partition of the stream after this record. A
 * reconnect that sends it back as Last-Event-ID resumes every partition exactly there, so nothing is lost or
 * repeated whichever partition the last event came from.
 */
final class StreamPositions {

    private StreamPositions() {
    }

    static String eventId(int partition, long offset, Map<Integer, Long> next) {
        StringBuilder id = new StringBuilder(16 + next.size() * 12).append(partition).append(':').append(offset).append('|');
        boolean first = true;
        for (Map.Entry<Integer, Long> e : next.entrySet()) {
            if (!first) {
                id.append(',');
            }
            id.append(e.getKey()).append(':').append(e.getValue());
            first = false;
        }
        return id.toString();
    }

    /**
     * The next offsets an event id says to resume from. An id without the {@code |} part lists positions of
     * records already received ({@code "0:41,1:7"}), which resume one past each.
     *
     * @throws HttpError (400) when the id is not one this gateway wrote
     */
    static Map<Integer, Long> resumeFrom(String eventId) {
        String trimmed = eventId.trim();
        int bar = trimmed.indexOf('|');
        Map<Integer, Long> positions = bar >= 0 ? parse(trimmed.substring(bar + 1), eventId) : parse(trimmed, eventId);
        if (bar < 0) {
            positions.replaceAll((p, offset) -> offset + 1);
        }
        return positions;
    }

    private static Map<Integer, Long> parse(String list, String eventId) {
        Map<Integer, Long> positions = new TreeMap<>();
        if (list.isEmpty()) {
            return positions;
        }
        for (String pair : list.split(",")) {
            int colon = pair.indexOf(':');
            try {
                int partition = Integer.parseInt(pair.substring(0, colon).trim());
                long offset = Long.parseLong(pair.substring(colon + 1).trim());
                if (partition < 0 || offset < 0) {
                    throw new NumberFormatException("negative");
                }
                positions.put(partition, offset);
            } catch (RuntimeException e) {
                throw HttpError.badRequest("Last-Event-ID '" + eventId + "' is not a stream position");
            }
        }
        return positions;
    }
}
