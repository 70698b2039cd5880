package io.tributary.storage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The segments of a log in offset order; the last one is the active segment. */
final class SegmentList implements Iterable<LogSegment> {
    private final ArrayList<LogSegment> segments = new ArrayList<>();

    int size() {
        return segments.size();
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    LogSegment get(int index) {
        return segments.get(index);
    }

    LogSegment first() {
        return segments.get(0);
    }

    LogSegment last() {
        return segments.get(segments.size() - 1);
    }

    void add(LogSegment segment) {
        if (!segments.isEmpty() && segment.baseOffset() <= last().baseOffset()) {
            throw new IllegalArgumentException(segment + " does not come after " + last());
        }
        segments.add(segment);
    }

    LogSegment removeFirst() {
        return segments.remove(0);
    }

    /** Removes and returns the segments from {@code index} on. */
    List<LogSegment> removeFrom(int index) {
        List<LogSegment> tail = segments.subList(index, segments.size());
        List<LogSegment> removed = new ArrayList<>(tail);
        tail.clear();
        return removed;
    }

    /** Index of the segment that would hold {@code offset}: the last with base <= offset, or -1. */
    int floorIndex(long offset) {
        int lo = 0;
        int hi = segments.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (segments.get(mid).baseOffset() <= offset) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    List<LogSegment> snapshot() {
        return List.copyOf(segments);
    }

    @Override
    public Iterator<LogSegment> iterator() {
        return segments.iterator();
    }

    /** Removes and returns the first {@code count} segments. */
    List<LogSegment> removeFirst(int count) {
        List<LogSegment> removed = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) removed.add(removeFirst());
        return removed;
    }

    /** Closes every segment, trying them all; the first failure is thrown with the others suppressed. */
    void closeAll() throws java.io.IOException {
        java.io.IOException failure = null;
        for (LogSegment s : segments) {
            try {
                s.close();
            } catch (java.io.IOException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }

    long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments) total += s.size();
        return total;
    }

    static long sizeOf(List<LogSegment> list) {
        long total = 0;
        for (LogSegment s : list) total += s.size();
        return total;
    }

    static List<Long> baseOffsets(List<LogSegment> list) {
        List<Long> bases = new ArrayList<>(list.size());
        for (LogSegment s : list) bases.add(s.baseOffset());
        return bases;
    }

    /** Closes and deletes the files of every segment in {@code list}, trying them all. */
    static void deleteAll(List<LogSegment> list) throws java.io.IOException {
        java.io.IOException failure = null;
        for (LogSegment s : list) {
            try {
                s.delete();
            } catch (java.io.IOException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure != null) throw failure;
    }
}
