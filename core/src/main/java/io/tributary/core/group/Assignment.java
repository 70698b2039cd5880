package io.tributary.core.group;

import org.apache.kafka.common.Uuid;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Partitions per topic id, as the consumer group protocol assigns them. Immutable; the set
 * operations return new instances.
 */
public final class Assignment {

    public static final Assignment EMPTY = new Assignment(new TreeMap<>());

    private final TreeMap<Uuid, TreeSet<Integer>> partitions;

    private Assignment(TreeMap<Uuid, TreeSet<Integer>> partitions) {
        this.partitions = partitions;
    }

    public static Assignment of(Map<Uuid, ? extends Iterable<Integer>> partitions) {
        TreeMap<Uuid, TreeSet<Integer>> copy = new TreeMap<>();
        partitions.forEach((topic, ps) -> {
            TreeSet<Integer> set = new TreeSet<>();
            ps.forEach(set::add);
            if (!set.isEmpty()) {
                copy.put(topic, set);
            }
        });
        return new Assignment(copy);
    }

    public Set<Uuid> topics() {
        return Collections.unmodifiableSet(partitions.keySet());
    }

    public Set<Integer> partitions(Uuid topic) {
        TreeSet<Integer> set = partitions.get(topic);
        return set == null ? Set.of() : Collections.unmodifiableSet(set);
    }

    public boolean contains(Uuid topic, int partition) {
        TreeSet<Integer> set = partitions.get(topic);
        return set != null && set.contains(partition);
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    public int size() {
        int n = 0;
        for (TreeSet<Integer> set : partitions.values()) {
            n += set.size();
        }
        return n;
    }

    public void forEach(BiConsumer<Uuid, Integer> action) {
        partitions.forEach((topic, set) -> set.forEach(p -> action.accept(topic, p)));
    }

    public Assignment union(Assignment other) {
        Builder b = new Builder();
        forEach(b::add);
        other.forEach(b::add);
        return b.build();
    }

    public Assignment minus(Assignment other) {
        Builder b = new Builder();
        forEach((t, p) -> {
            if (!other.contains(t, p)) {
                b.add(t, p);
            }
        });
        return b.build();
    }

    public Assignment intersect(Assignment other) {
        Builder b = new Builder();
        forEach((t, p) -> {
            if (other.contains(t, p)) {
                b.add(t, p);
            }
        });
        return b.build();
    }

    /** True when any partition is in both. */
    public boolean overlaps(Assignment other) {
        for (Map.Entry<Uuid, TreeSet<Integer>> e : partitions.entrySet()) {
            for (int p : e.getValue()) {
                if (other.contains(e.getKey(), p)) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean containsAll(Assignment other) {
        return other.minus(this).isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment a && partitions.equals(a.partitions);
    }

    @Override
    public int hashCode() {
        return partitions.hashCode();
    }

    @Override
    public String toString() {
        return partitions.toString();
    }

    /** Collects partitions one by one. */
    public static final class Builder {
        private final TreeMap<Uuid, TreeSet<Integer>> partitions = new TreeMap<>();

        public Builder add(Uuid topic, int partition) {
            partitions.computeIfAbsent(topic, t -> new TreeSet<>()).add(partition);
            return this;
        }

        public Assignment build() {
            return partitions.isEmpty() ? EMPTY : new Assignment(partitions);
        }
    }
}
