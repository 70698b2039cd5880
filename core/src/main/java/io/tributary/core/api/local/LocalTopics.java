package io.tributary.core.api.local;

import io.tributary.core.BrokerServices;
import io.tributary.core.api.ApiException;
import io.tributary.core.api.TopicDescription;
import io.tributary.core.api.Topics;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.metadata.TopicInfo;
import io.vertx.core.Future;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link Topics} over this broker's topic registry. */
public final class LocalTopics implements Topics {

    private final BrokerServices broker;

    public LocalTopics(BrokerServices broker) {
        this.broker = broker;
    }

    @Override
    public List<TopicDescription> list() {
        return broker.topics().image().topics().stream()
                .map(LocalTopics::describe)
                .sorted(Comparator.comparing(TopicDescription::name))
                .toList();
    }

    @Override
    public Optional<TopicDescription> describe(String name) {
        return broker.topics().image().topic(name).map(LocalTopics::describe);
    }

    @Override
    public Future<TopicDescription> ensure(String name) {
        Optional<TopicInfo> existing = broker.topics().image().topic(name);
        if (existing.isPresent()) {
            return Future.succeededFuture(describe(existing.get()));
        }
        if (!broker.config().autoCreateTopicsEnable()) {
            return Future.failedFuture(new ApiException(ApiException.Reason.UNKNOWN_TOPIC,
                    "Topic " + name + " does not exist and auto.create.topics.enable is false"));
        }
        return createOrGet(name, broker.config().numPartitions(), Map.of());
    }

    @Override
    public Future<TopicDescription> create(String name, int partitions, Map<String, String> configs) {
        int count = partitions < 0 ? broker.config().numPartitions() : partitions;
        return broker.topics().create(name, count, configs, false)
                .map(LocalTopics::describe)
                .recover(e -> {
                    if (e instanceof TopicException te && te.reason() == TopicException.Reason.ALREADY_EXISTS) {
                        // Another member created it: once it is known here, callers may use it right away.
                        return broker.topics().awaitApplied(name, t -> t != null)
                                .transform(ignored -> Future.failedFuture(ApiErrors.of(e)));
                    }
                    return Future.failedFuture(ApiErrors.of(e));
                });
    }

    /** Creates the topic, or returns it when a concurrent request created it first. */
    private Future<TopicDescription> createOrGet(String name, int partitions, Map<String, String> configs) {
        return broker.topics().create(name, partitions, configs, false)
                .recover(e -> {
                    if (e instanceof TopicException te && te.reason() == TopicException.Reason.ALREADY_EXISTS) {
                        return broker.topics().awaitApplied(name, t -> t != null);
                    }
                    return Future.failedFuture(ApiErrors.of(e));
                })
                .map(LocalTopics::describe);
    }

    private static TopicDescription describe(TopicInfo info) {
        return new TopicDescription(info.name(), info.partitionCount(), info.configs(), info.isInternal());
    }
}
