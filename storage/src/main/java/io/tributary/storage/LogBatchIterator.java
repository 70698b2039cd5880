package io.tributary.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Iterates stored batches across segments, from the batch holding {@code from} to the last batch below {@code to}.
 * Reads through fresh chunks so every view it hands out keeps its bytes.
 */
final class LogBatchIterator implements Iterator<RecordBatchView> {
    private final List<LogSegment> segments;
    private final long from;
    private final long to;
    private final BatchScanner scanner;
    private int segmentIndex;
    private boolean segmentOpen;
    private RecordBatchView next;
    private boolean done;

    LogBatchIterator(List<LogSegment> segments, int firstSegment, long from, long to, BatchScanner scanner) {
        this.segments = segments;
        this.segmentIndex = firstSegment;
        this.from = from;
        this.to = to;
        this.scanner = scanner;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) advance();
        return next != null;
    }

    @Override
    public RecordBatchView next() {
        if (!hasNext()) throw new NoSuchElementException();
        RecordBatchView view = next;
        next = null;
        return view;
    }

    private void advance() {
        try {
            while (segmentIndex < segments.size()) {
                LogSegment segment = segments.get(segmentIndex);
                if (!segmentOpen) {
                    scanner.reset(segment.channel(), segment.lookupPosition(from), segment.size());
                    segmentOpen = true;
                }
                while (scanner.next(true)) {
                    if (scanner.baseOffset() >= to) {
                        done = true;
                        return;
                    }
                    if (scanner.lastOffset() >= from) {
                        next = scanner.view();
                        return;
                    }
                }
                segmentIndex++;
                segmentOpen = false;
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read batches", e);
        }
    }
}
