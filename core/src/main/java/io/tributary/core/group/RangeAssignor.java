package io.tributary.core.group;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The "range" server-side assignor: per topic, the subscribers (by member id) get consecutive
 * ranges of partitions, so members of co-partitioned topics get the same partition numbers.
 */
final class RangeAssignor implements PartitionAssignor {

    @Override
    public String name() {
        return "range";
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitions,
                                          Map<String, Assignment> current) {
        Map<Uuid, List<String>> subscribers = new TreeMap<>();
        new TreeMap<>(subscriptions).forEach((member, topics) -> topics.forEach(topic ->
                subscribers.computeIfAbsent(topic, t -> new ArrayList<>()).add(member)));
        Map<String, Assignment.Builder> builders = new HashMap<>();
        subscriptions.keySet().forEach(m -> builders.put(m, new Assignment.Builder()));
        subscribers.forEach((topic, members) -> {
            int count = partitions.getOrDefault(topic, 0);
            List<String> sorted = new ArrayList<>(new TreeSet<>(members));
            int per = count / sorted.size();
            int extra = count % sorted.size();
            int next = 0;
            for (int i = 0; i < sorted.size(); i++) {
                int n = per + (i < extra ? 1 : 0);
                for (int j = 0; j < n; j++) {
                    builders.get(sorted.get(i)).add(topic, next++);
                }
            }
        });
        Map<String, Assignment> out = new HashMap<>();
        builders.forEach((m, b) -> out.put(m, b.build()));
        return out;
    }
}
