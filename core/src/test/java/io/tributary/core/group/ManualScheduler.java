package io.tributary.core.group;

import java.util.Map;
import java.util.TreeMap;

/** A scheduler on a manual clock: {@link #advance} runs the tasks that fall due, in time order. */
final class ManualScheduler implements Scheduler {

    private record Key(long due, long id) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(id, o.id);
        }
    }

    private final TreeMap<Key, Runnable> tasks = new TreeMap<>();
    private long now = 1_000_000;
    private long nextId;

    @Override
    public long schedule(long delayMs, Runnable task) {
        long id = nextId++;
        tasks.put(new Key(now + Math.max(1, delayMs), id), task);
        return id;
    }

    @Override
    public void cancel(long id) {
        tasks.keySet().removeIf(k -> k.id() == id);
    }

    @Override
    public long nowMs() {
        return now;
    }

    void advance(long ms) {
        long target = now + ms;
        while (!tasks.isEmpty() && tasks.firstKey().due() <= target) {
            Map.Entry<Key, Runnable> next = tasks.pollFirstEntry();
            now = next.getKey().due();
            next.getValue().run();
        }
        now = target;
    }
}
