package io.tributary.gateway.http;

import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.AssignmentListener;
import io.tributary.core.api.BrokerApi;
import io.tributary.core.api.GroupMembership;
import io.tributary.core.api.Records;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP consumer: either a real member of its group (after a subscription, through
 * {@link io.tributary.core.api.ConsumerGroups#join}, so Kafka consumers in the group share partitions with it)
 * or a consumer of manually assigned partitions. It keeps a position per partition it owns. Every method runs
 * on {@link #context()}, which owns all of this state; {@link ConsumerRegistry} hops there.
 */
final class ConsumerInstance implements AssignmentListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerInstance.class);

    private final BrokerApi api;
    private final Context context;
    private final String group;
    private final ConsumerSettings settings;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final PositionWaiters waiters = new PositionWaiters();
    private final ConsumerReader reader;
    private GroupMembership membership;
    private Future<Void> joining;
    /** The topic regex subscribed to (REST Proxy's topic_pattern), or null. */
    private String pattern;
    /** The last poll queued; the next one starts when it ends. */
    private Future<JsonArray> polls = Future.succeededFuture();
    private List<String> subscription = List.of();
    /** What this instance reads: its group assignment as the listener reported it, or the manual one. */
    private final Set<TopicPartition> owned = new HashSet<>();
    private boolean manual;
    private volatile long lastUsedMillis = System.currentTimeMillis();
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private boolean closed;

    ConsumerInstance(BrokerApi api, Context context, String group, ConsumerSettings settings) {
        this.api = api;
        this.context = context;
        this.group = group;
        this.settings = settings;
        this.reader = new ConsumerReader(api.records(), context);
    }

    Context context() {
        return context;
    }

    String group() {
        return group;
    }

    ConsumerSettings settings() {
        return settings;
    }

    /** A request starts; the registry's idle check reads this from another thread, hence the atomics. */
    void requestStarted() {
        requestsInFlight.incrementAndGet();
        lastUsedMillis = System.currentTimeMillis();
    }

    void requestEnded() {
        lastUsedMillis = System.currentTimeMillis();
        requestsInFlight.decrementAndGet();
    }

    /** Idle: no request in flight (a long poll is use) and none for {@code timeoutMs}. */
    boolean idleFor(long timeoutMs, long now) {
        return requestsInFlight.get() == 0 && now - lastUsedMillis > timeoutMs;
    }

    // ---- subscription and assignment

    Future<Void> subscribe(List<String> topics) {
        if (manual) {
            return mutuallyExclusive();
        }
        subscription = List.copyOf(topics);
        pattern = null;
        // Topics are created on first use, as a Kafka consumer's metadata request does.
        List<Future<?>> ensured = topics.stream().<Future<?>>map(t -> api.topics().ensure(t)).toList();
        return Future.join(ensured).transform(ignored -> onContext(Future.succeededFuture()))
                .compose(v -> joinOrUpdate());
    }

    /** Subscribes to every topic whose whole name matches {@code regex}, including topics created later. */
    Future<Void> subscribeMatching(String regex) {
        if (manual) {
            return mutuallyExclusive();
        }
        try {
            Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return Future.failedFuture(HttpError.invalidBody("topic_pattern is not a valid regular expression: "
                    + e.getDescription()));
        }
        subscription = List.of();
        pattern = regex;
        return joinOrUpdate();
    }

    private Future<Void> joinOrUpdate() {
        if (membership != null) {
            if (pattern != null) {
                membership.subscribeMatching(pattern);
            } else {
                membership.subscribe(subscription);
            }
            return Future.succeededFuture();
        }
        if (joining == null) {
            List<String> joinedWith = subscription;
            String joinedPattern = pattern;
            String clientId = "http-" + group + "-" + settings.name();
            Future<GroupMembership> join = joinedPattern != null
                    ? api.groups().joinMatching(group, clientId, joinedPattern, this)
                    : api.groups().join(group, clientId, joinedWith, this);
            joining = onContext(join).map(member -> {
                membership = member;
                joining = null;
                if (closed) {
                    member.leave();
                } else if (!Objects.equals(joinedPattern, pattern)) {
                    joinOrUpdate(); // changed while joining
                } else if (pattern == null && !joinedWith.equals(subscription)) {
                    member.subscribe(subscription);
                }
                return null;
            });
            // A refused join must not stay cached: the next subscription tries again.
            joining.onFailure(e -> {
                LOG.warn("HTTP consumer {} could not join group {}: {}", settings.name(), group, e.getMessage());
                joining = null;
            });
        }
        return joining;
    }

    private static Future<Void> mutuallyExclusive() {
        return Future.failedFuture(HttpError.conflict(40903,
                "Subscription to topics and manual assignment are mutually exclusive"));
    }

    /** The subscribed topic regex, or null when subscribed by names. */
    String pattern() {
        return pattern;
    }

    List<String> subscription() {
        return subscription;
    }

    Future<Void> unsubscribe() {
        subscription = List.of();
        pattern = null;
        manual = false;
        GroupMembership member = membership;
        Future<Void> left = member == null ? Future.succeededFuture() : onContext(member.leave());
        return left.map(v -> {
            membership = null;
            owned.clear();
            positions.clear();
            return null;
        });
    }

    Future<Void> assign(Set<TopicPartition> partitions) {
        if (membership != null || joining != null) {
            return Future.failedFuture(HttpError.conflict(40903,
                    "Subscription to topics and manual assignment are mutually exclusive"));
        }
        for (TopicPartition tp : partitions) {
            int count = api.topics().describe(tp.topic()).orElseThrow(() -> HttpError.topicNotFound(tp.topic())).partitions();
            if (tp.partition() >= count) {
                throw HttpError.partitionNotFound(tp.topic(), tp.partition());
            }
        }
        manual = true;
        owned.clear();
        owned.addAll(partitions);
        positions.keySet().retainAll(owned);
        return initPositions(owned);
    }

    Set<TopicPartition> assignment() {
        return Collections.unmodifiableSet(owned);
    }

    /** Called on this context; may come before the join's own answer, so ownership is tracked here. */
    @Override
    public void onAssigned(Set<TopicPartition> partitions) {
        owned.addAll(partitions);
        initPositions(partitions);
    }

    @Override
    public Future<Void> onRevoked(Set<TopicPartition> partitions) {
        owned.removeAll(partitions);
        Map<TopicPartition, Long> releasing = new HashMap<>();
        partitions.forEach(tp -> {
            Long position = positions.remove(tp);
            if (position != null) {
                releasing.put(tp, position);
            }
        });
        if (!settings.autoCommit() || releasing.isEmpty() || membership == null) {
            return Future.succeededFuture();
        }
        // Commit before giving the partitions up, so their next owner starts where this one stopped.
        return onContext(membership.commit(releasing)).recover(e -> {
            LOG.warn("Commit on revocation failed for group {}: {}", group, e.getMessage());
            return Future.succeededFuture();
        });
    }

    /** Starts partitions without a position at the group's committed offset, else at auto.offset.reset. */
    private Future<Void> initPositions(Set<TopicPartition> partitions) {
        Set<TopicPartition> missing = new HashSet<>(partitions);
        missing.removeAll(positions.keySet());
        if (missing.isEmpty()) {
            return Future.succeededFuture();
        }
        return onContext(api.groups().committed(group, missing))
                .recover(e -> Future.succeededFuture(Map.of()))
                .compose(committed -> {
                    List<Future<Void>> resets = new ArrayList<>();
                    for (TopicPartition tp : missing) {
                        Long offset = committed.get(tp);
                        if (offset != null && offset >= 0) {
                            setIfOwnedAndUnset(tp, offset);
                        } else {
                            resets.add(resetPosition(tp));
                        }
                    }
                    return Future.join(resets).transform(ignored -> {
                        waiters.wakeAll();
                        return Future.<Void>succeededFuture();
                    });
                });
    }

    private Future<Void> resetPosition(TopicPartition tp) {
        long where = settings.resetToEarliest() ? Records.EARLIEST : Records.LATEST;
        return onContext(api.records().offsetFor(tp, where)).map(offset -> {
            setIfOwnedAndUnset(tp, offset);
            return null;
        });
    }

    private void setIfOwnedAndUnset(TopicPartition tp, long offset) {
        if (owned.contains(tp)) {
            positions.putIfAbsent(tp, offset);
        }
    }

    // ---- reading

    /**
     * Records from the owned partitions in {@code format}, waiting up to {@code timeoutMs} when none are there
     * yet.
     */
    Future<JsonArray> poll(long timeoutMs, long maxBytes, EmbeddedFormat format) {
        // Polls of one instance run one after the other, as a Kafka consumer's do: two reading from the same
        // positions at once would both return the same records.
        Future<JsonArray> next = polls.transform(ignored -> pollNow(timeoutMs, maxBytes, format));
        polls = next;
        return next;
    }

    private Future<JsonArray> pollNow(long timeoutMs, long maxBytes, EmbeddedFormat format) {
        if (settings.autoCommit()) {
            // What the previous poll returned is consumed now, as with Kafka's auto-commit.
            commitPositions().onFailure(e -> LOG.debug("Auto-commit for group {} failed: {}", group, e.getMessage()));
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        return attempt(deadline, maxBytes, format.codec());
    }

    private Future<JsonArray> attempt(long deadline, long maxBytes, ValueCodec codec) {
        Map<TopicPartition, Long> from = readablePositions();
        return reader.read(from, maxBytes, codec, this::onOutOfRange).compose(batch -> {
            batch.nextPositions().forEach((tp, next) -> {
                // A seek or revocation meanwhile wins over what this read saw.
                if (from.get(tp).equals(positions.get(tp))) {
                    positions.put(tp, next);
                }
            });
            long remaining = deadline - System.currentTimeMillis();
            if (!batch.records().isEmpty() || remaining <= 0 || closed) {
                return Future.succeededFuture(batch.records());
            }
            return waitForData(readablePositions(), remaining).compose(v -> attempt(deadline, maxBytes, codec));
        });
    }

    /** Completes when a readable partition has data, positions change, or the time is up. */
    private Future<Void> waitForData(Map<TopicPartition, Long> from, long remaining) {
        Future<Void> positionsChanged = waiters.await(context, remaining);
        if (from.isEmpty()) {
            return positionsChanged;
        }
        List<Future<?>> wakeups = new ArrayList<>();
        wakeups.add(positionsChanged);
        from.forEach((tp, offset) -> wakeups.add(onContext(api.records().poll(tp, offset, 1, remaining))));
        return Future.any(wakeups).transform(ignored -> Future.succeededFuture());
    }

    private Map<TopicPartition, Long> readablePositions() {
        Map<TopicPartition, Long> readable = new HashMap<>();
        for (TopicPartition tp : owned) {
            Long position = positions.get(tp);
            if (position != null) {
                readable.put(tp, position);
            }
        }
        return readable;
    }

    /** The stored position fell out of the log (retention): start again where auto.offset.reset says. */
    private void onOutOfRange(TopicPartition tp) {
        positions.remove(tp);
        resetPosition(tp).onComplete(ar -> waiters.wakeAll());
    }

    // ---- positions and offsets

    Future<Void> seek(Map<TopicPartition, Long> offsets) {
        requireOwned(offsets.keySet());
        positions.putAll(offsets);
        waiters.wakeAll();
        return Future.succeededFuture();
    }

    Future<Void> seekTo(Set<TopicPartition> partitions, long where) {
        requireOwned(partitions);
        List<Future<Void>> seeks = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            seeks.add(onContext(api.records().offsetFor(tp, where)).map(offset -> {
                positions.put(tp, offset);
                return null;
            }));
        }
        return Future.all(seeks).map(v -> {
            waiters.wakeAll();
            return null;
        });
    }

    private void requireOwned(Set<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (!owned.contains(tp)) {
                throw HttpError.conflict(40903, "No current assignment for partition " + tp);
            }
        }
    }

    /** Commits the given offsets (the next offset to read), or every current position when null. */
    Future<Void> commit(Map<TopicPartition, Long> offsets) {
        return offsets == null ? commitPositions() : commitOffsets(offsets);
    }

    private Future<Void> commitPositions() {
        return commitOffsets(readablePositions());
    }

    private Future<Void> commitOffsets(Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return Future.succeededFuture();
        }
        Future<Void> committed = membership != null ? membership.commit(offsets) : api.groups().commit(group, offsets);
        return onContext(committed).recover(e -> Future.failedFuture(e instanceof ApiException api
                && api.reason() == ApiException.Reason.GROUP_ERROR
                ? HttpError.conflict(40903, "Commit refused: " + e.getMessage()) : e));
    }

    Future<Map<TopicPartition, Long>> committed(Set<TopicPartition> partitions) {
        return onContext(api.groups().committed(group, partitions));
    }

    // ---- lifecycle

    /** Commits (when auto-commit is on) and leaves the group; idempotent. */
    Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        waiters.wakeAll();
        Future<Void> commit = settings.autoCommit() ? commitPositions().recover(e -> Future.succeededFuture())
                : Future.succeededFuture();
        return commit.compose(v -> membership == null ? Future.succeededFuture() : onContext(membership.leave()));
    }

    /** Continues on this instance's context whatever thread completes {@code future}. */
    private <T> Future<T> onContext(Future<T> future) {
        io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
        future.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
        return promise.future();
    }
}
