package io.tributary.connect.runtime;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a sink task may ask of the runtime: rewinds, pauses, a commit, a retry timeout. Only the task's own
 * thread calls it, so the loop picks the requests up between calls into the task.
 */
final class SinkContext implements SinkTaskContext {

    private final Map<String, String> config;
    private final ErrantRecordReporter reporter;
    private final PluginMetrics metrics;
    private final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
    private final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> rewinds = new ConcurrentHashMap<>();
    private volatile boolean commitRequested;
    private volatile long timeoutMs = -1;

    SinkContext(Map<String, String> config, ErrantRecordReporter reporter, PluginMetrics metrics) {
        this.config = config;
        this.reporter = reporter;
        this.metrics = metrics;
    }

    @Override
    public Map<String, String> configs() {
        return config;
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        rewinds.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        rewinds.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Collections.unmodifiableSet(assignment);
    }

    @Override
    public void pause(TopicPartition... partitions) {
        paused.addAll(Arrays.asList(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
        Arrays.asList(partitions).forEach(paused::remove);
    }

    @Override
    public void requestCommit() {
        commitRequested = true;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return reporter;
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return metrics;
    }

    Set<TopicPartition> ownedPartitions() {
        return assignment;
    }

    boolean isPaused(TopicPartition tp) {
        return paused.contains(tp);
    }

    /** The rewinds asked for since the last call, cleared. */
    Map<TopicPartition, Long> takeRewinds() {
        Map<TopicPartition, Long> taken = new HashMap<>(rewinds);
        taken.keySet().forEach(rewinds::remove);
        return taken;
    }

    boolean takeCommitRequest() {
        boolean requested = commitRequested;
        commitRequested = false;
        return requested;
    }

    /** The retry wait the task asked for after a RetriableException, or the default. */
    long retryTimeoutMs(long defaultMs) {
        return timeoutMs > 0 ? timeoutMs : defaultMs;
    }

    void removeAll(Set<TopicPartition> partitions) {
        assignment.removeAll(partitions);
        paused.removeAll(partitions);
        new HashSet<>(partitions).forEach(rewinds::remove);
    }
}
