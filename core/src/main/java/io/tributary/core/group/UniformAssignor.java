package io.tributary.core.group;

import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka's default server-side assignor: spreads all subscribed partitions evenly over the members
 * (counts differ by at most one when everybody subscribes to the same topics) and keeps as many
 * partitions as possible where they were, so a rebalance moves few partitions.
 */
final class UniformAssignor implements PartitionAssignor {

    /** A partition of a topic. */
    private record Tp(Uuid topic, int partition) {
    }

    private static final Comparator<Tp> ORDER = Comparator.comparing(Tp::topic).thenComparingInt(Tp::partition);

    @Override
    public String name() {
        return "uniform";
    }

    @Override
    public Map<String, Assignment> assign(Map<String, Set<Uuid>> subscriptions, Map<Uuid, Integer> partitions,
                                          Map<String, Assignment> current) {
        List<String> members = new ArrayList<>(new TreeMap<>(subscriptions).keySet());
        Map<String, List<Tp>> result = new HashMap<>();
        members.forEach(m -> result.put(m, new ArrayList<>()));
        if (!members.isEmpty()) {
            boolean homogeneous = subscriptions.values().stream().distinct().count() == 1;
            if (homogeneous) {
                balanced(members, partitionsOf(subscriptions.get(members.get(0)), partitions), current, result);
            } else {
                heterogeneous(members, subscriptions, partitions, current, result);
            }
        }
        Map<String, Assignment> out = new HashMap<>();
        result.forEach((member, tps) -> {
            Assignment.Builder b = new Assignment.Builder();
            tps.forEach(tp -> b.add(tp.topic(), tp.partition()));
            out.put(member, b.build());
        });
        return out;
    }

    /** Same subscriptions: everyone gets floor(n/m) partitions and n%m members one more, sticky first. */
    private static void balanced(List<String> members, List<Tp> all, Map<String, Assignment> current,
                                 Map<String, List<Tp>> result) {
        int minQuota = all.size() / members.size();
        int extras = all.size() % members.size();
        Set<Tp> valid = new HashSet<>(all);
        Set<Tp> taken = new HashSet<>();
        Map<String, List<Tp>> previous = new HashMap<>();
        for (String m : members) {
            List<Tp> prev = new ArrayList<>();
            current.getOrDefault(m, Assignment.EMPTY).forEach((t, p) -> {
                Tp tp = new Tp(t, p);
                if (valid.contains(tp)) {
                    prev.add(tp);
                }
            });
            prev.sort(ORDER);
            previous.put(m, prev);
            for (int i = 0; i < Math.min(minQuota, prev.size()); i++) {
                result.get(m).add(prev.get(i));
                taken.add(prev.get(i));
            }
        }
        for (String m : members) {
            List<Tp> prev = previous.get(m);
            if (extras > 0 && prev.size() > minQuota) {
                result.get(m).add(prev.get(minQuota));
                taken.add(prev.get(minQuota));
                extras--;
            }
        }
        for (Tp tp : all) {
            if (taken.contains(tp)) {
                continue;
            }
            String best = null;
            for (String m : members) {
                int count = result.get(m).size();
                boolean room = count < minQuota || (count == minQuota && extras > 0);
                if (room && (best == null || count < result.get(best).size())) {
                    best = m;
                }
            }
            if (result.get(best).size() == minQuota) {
                extras--;
            }
            result.get(best).add(tp);
        }
    }

    /** Different subscriptions: partitions with the fewest candidates first, each to the least loaded candidate. */
    private static void heterogeneous(List<String> members, Map<String, Set<Uuid>> subscriptions,
                                      Map<Uuid, Integer> partitions, Map<String, Assignment> current,
                                      Map<String, List<Tp>> result) {
        Map<Uuid, List<String>> candidates = new HashMap<>();
        for (String m : members) {
            for (Uuid topic : subscriptions.get(m)) {
                if (partitions.containsKey(topic)) {
                    candidates.computeIfAbsent(topic, t -> new ArrayList<>()).add(m);
                }
            }
        }
        Map<Tp, String> previousOwner = new HashMap<>();
        current.forEach((m, a) -> a.forEach((t, p) -> previousOwner.put(new Tp(t, p), m)));
        List<Tp> all = partitionsOf(candidates.keySet(), partitions);
        all.sort(Comparator.<Tp>comparingInt(tp -> candidates.get(tp.topic()).size()).thenComparing(ORDER));
        for (Tp tp : all) {
            List<String> eligible = candidates.get(tp.topic());
            int min = Integer.MAX_VALUE;
            String least = null;
            for (String m : eligible) {
                if (result.get(m).size() < min) {
                    min = result.get(m).size();
                    least = m;
                }
            }
            String prev = previousOwner.get(tp);
            String chosen = prev != null && eligible.contains(prev) && result.get(prev).size() <= min ? prev : least;
            result.get(chosen).add(tp);
        }
    }

    private static List<Tp> partitionsOf(Set<Uuid> topics, Map<Uuid, Integer> partitions) {
        List<Tp> all = new ArrayList<>();
        for (Uuid topic : topics) {
            int count = partitions.getOrDefault(topic, 0);
            for (int p = 0; p < count; p++) {
                all.add(new Tp(topic, p));
            }
        }
        all.sort(ORDER);
        return all;
    }
}
