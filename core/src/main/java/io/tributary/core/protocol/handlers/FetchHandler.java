package io.tributary.core.protocol.handlers;

import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.partition.Partition;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fetch without fetch sessions (every response is a full one, session id 0). Reads what is there;
 * when that is less than min_bytes the fetch waits, woken by the next append to any of its
 * partitions or ended by a timer at max_wait_ms. Consumers read up to the high watermark of the
 * partitions this broker leads; followers (replica id set) read up to the log end, and their fetch
 * offsets tell the leader how far they are.
 */
public final class FetchHandler implements ApiHandler<FetchRequest> {

    /** FetchRequest isolation_level: 0 read_uncommitted, 1 read_committed (v4+). */
    private static final byte READ_COMMITTED = 1;

    @Override
    public Future<ApiMessage> handle(RequestContext context, FetchRequest request) {
        FetchRequestData data = request.data();
        boolean byTopicId = context.apiVersion() >= 13;
        MetadataImage image = context.broker().topics().image();
        List<FetchTarget> targets = new ArrayList<>();
        for (FetchTopic topic : data.topics()) {
            Optional<TopicInfo> info = byTopicId ? image.topic(topic.topicId()) : image.topic(topic.topic());
            for (FetchPartition p : topic.partitions()) {
                Partition partition = info
                        .map(t -> context.broker().partitions().get(new TopicPartition(t.name(), p.partition())))
                        .orElse(null);
                Errors missing = info.isEmpty()
                        ? (byTopicId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION)
                        : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                targets.add(new FetchTarget(topic.topic(), topic.topicId(), p, partition, missing));
            }
        }
        int maxBytes = context.apiVersion() >= 3 ? data.maxBytes() : Integer.MAX_VALUE;
        boolean readCommitted = data.isolationLevel() == READ_COMMITTED;
        // A follower's fetch (replica id >= 0; in the request body before v15, in ReplicaState after).
        int replicaId = request.replicaId();
        return new DelayedFetch(context, targets, Math.max(0, data.maxWaitMs()), Math.max(0, data.minBytes()), maxBytes,
                readCommitted, replicaId >= 0 ? replicaId : -1).run();
    }
}
