package io.tributary.core.cluster;

import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicInfoJson;
import org.apache.kafka.common.Uuid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds controller decisions this member missed. Members follow the metadata map through entry events; should
 * one never arrive (or be lost while the map's partitions move after a member died), the member would keep
 * serving a stale leader with nothing to repair it. A periodic pass compares the map with the registry and
 * reports a topic once its published state has differed from the local one, unchanged, on two passes in a row:
 * an event still on its way would have been applied in between, so only a missed one is left. The same goes for a
 * topic the member still has while the cluster deleted its id.
 * <p>
 * A published state older than the member's own (every partition epoch at most the local one, one below) is
 * never reported: members only ever go forward, and a member's newer copy reaches the map through the
 * controller's seeding instead.
 */
final class MetadataReconciler {

    /** What one pass found missed: published states to apply and ids of deleted topics the member still has. */
    record Missed(List<TopicInfo> changes, Set<Uuid> deletions) {
        boolean isEmpty() {
            return changes.isEmpty() && deletions.isEmpty();
        }
    }

    /** Topic name to what differed from the registry on the last pass (the published JSON, or a deletion). */
    private Map<String, String> differing = Map.of();

    /**
     * What to apply now, given the published topics and the ids of every deleted topic; call on one thread, once
     * per period.
     */
    Missed pass(Map<String, String> published, Set<Uuid> deletedIds, MetadataImage local) {
        Map<String, String> nowDiffering = new HashMap<>();
        List<TopicInfo> changes = new ArrayList<>();
        published.forEach((name, json) -> {
            TopicInfo theirs;
            try {
                theirs = TopicInfoJson.decode(json);
            } catch (RuntimeException e) {
                return; // the entry listener logs unreadable metadata
            }
            TopicInfo ours = local.topic(name).orElse(null);
            if (theirs.equals(ours) || olderThan(theirs, ours)) {
                return;
            }
            if (json.equals(differing.get(name))) {
                changes.add(theirs);
            } else {
                nowDiffering.put(name, json);
            }
        });
        Set<Uuid> deletions = new HashSet<>();
        for (TopicInfo ours : local.topics()) {
            if (!published.containsKey(ours.name()) && deletedIds.contains(ours.id())) {
                String deletion = "deleted " + ours.id();
                if (deletion.equals(differing.get(ours.name()))) {
                    deletions.add(ours.id());
                } else {
                    nowDiffering.put(ours.name(), deletion);
                }
            }
        }
        differing = nowDiffering;
        return new Missed(changes, deletions);
    }

    /** True when {@code theirs} is an earlier state of the same topic than {@code ours}. */
    static boolean olderThan(TopicInfo theirs, TopicInfo ours) {
        if (ours == null || !ours.id().equals(theirs.id()) || theirs.partitionCount() > ours.partitionCount()) {
            return false;
        }
        boolean anyOlder = false;
        for (int p = 0; p < theirs.partitionCount(); p++) {
            int published = theirs.partition(p).partitionEpoch();
            int held = ours.partition(p).partitionEpoch();
            if (published > held) {
                return false;
            }
            anyOlder |= published < held;
        }
        return anyOlder || theirs.partitionCount() < ours.partitionCount();
    }
}
