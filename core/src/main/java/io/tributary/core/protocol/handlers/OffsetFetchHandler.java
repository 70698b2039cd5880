package io.tributary.core.protocol.handlers;

import io.tributary.core.group.CommittedOffset;
import io.tributary.core.group.GroupError;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.group.OffsetMessages.FetchResult;
import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * OffsetFetch for one group (v1-7) or many (v8+), by topic name or, from v10, topic id. A partition
 * without a committed offset answers offset -1; a null topic list asks for all of the group's offsets.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequest> {

    /** One requested partition, with its topic id (v10) or the error found while resolving it. */
    private record Wanted(TopicPartition tp, Uuid topicId, Errors error) {
    }

    @Override
    public Future<ApiMessage> handle(RequestContext context, OffsetFetchRequest request) {
        short version = context.apiVersion();
        OffsetFetchRequestData d = request.data();
        if (version < 8) {
            List<Wanted> wanted = d.topics() == null ? null : single(d.topics());
            FetchRequest fetch = new FetchRequest(d.groupId(), null, -1, partitions(wanted),
                    version >= 7 && d.requireStable());
            return context.broker().groups().fetchOffsets(fetch)
                    .map(result -> singleResponse(result, wanted, version));
        }
        MetadataImage image = context.broker().topics().image();
        boolean byTopicId = version >= 10;
        List<Future<OffsetFetchResponseGroup>> groups = new ArrayList<>();
        for (OffsetFetchRequestGroup g : d.groups()) {
            List<Wanted> wanted = g.topics() == null ? null : batched(g.topics(), image, byTopicId);
            FetchRequest fetch = new FetchRequest(g.groupId(), version >= 9 ? g.memberId() : null,
                    version >= 9 ? g.memberEpoch() : -1, partitions(wanted), d.requireStable());
            groups.add(context.broker().groups().fetchOffsets(fetch)
                    .map(result -> groupResponse(g.groupId(), result, wanted, image, byTopicId)));
        }
        return Future.all(groups).map(all -> {
            OffsetFetchResponseData response = new OffsetFetchResponseData();
            for (int i = 0; i < groups.size(); i++) {
                response.groups().add(all.resultAt(i));
            }
            return response;
        });
    }

    private static List<Wanted> single(List<OffsetFetchRequestTopic> topics) {
        List<Wanted> wanted = new ArrayList<>();
        for (OffsetFetchRequestTopic t : topics) {
            for (int p : t.partitionIndexes()) {
                wanted.add(new Wanted(new TopicPartition(t.name(), p), Uuid.ZERO_UUID, Errors.NONE));
            }
        }
        return wanted;
    }

    private static List<Wanted> batched(List<OffsetFetchRequestTopics> topics, MetadataImage image, boolean byTopicId) {
        List<Wanted> wanted = new ArrayList<>();
        for (OffsetFetchRequestTopics t : topics) {
            Optional<TopicInfo> info = byTopicId ? image.topic(t.topicId()) : Optional.empty();
            String name = byTopicId ? info.map(TopicInfo::name).orElse("") : t.name();
            Errors error = byTopicId && info.isEmpty() ? Errors.UNKNOWN_TOPIC_ID : Errors.NONE;
            for (int p : t.partitionIndexes()) {
                wanted.add(new Wanted(new TopicPartition(name, p), t.topicId(), error));
            }
        }
        return wanted;
    }

    private static List<TopicPartition> partitions(List<Wanted> wanted) {
        if (wanted == null) {
            return null;
        }
        List<TopicPartition> tps = new ArrayList<>();
        wanted.stream().filter(w -> w.error() == Errors.NONE).forEach(w -> tps.add(w.tp()));
        return tps;
    }

    /** The requested partitions in order, or every stored offset sorted by topic and partition. */
    private static List<Wanted> answered(List<Wanted> wanted, FetchResult result, MetadataImage image,
                                         boolean byTopicId) {
        if (wanted != null) {
            return wanted;
        }
        List<Wanted> all = new ArrayList<>();
        Map<String, Map<Integer, TopicPartition>> sorted = new TreeMap<>();
        result.offsets().keySet().forEach(tp ->
                sorted.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), tp));
        sorted.forEach((topic, partitions) -> {
            Optional<TopicInfo> info = image == null ? Optional.empty() : image.topic(topic);
            if (byTopicId && info.isEmpty()) {
                // Offsets of a topic that no longer exists cannot be named by id.
                return;
            }
            Uuid id = info.map(TopicInfo::id).orElse(Uuid.ZERO_UUID);
            partitions.values().forEach(tp -> all.add(new Wanted(tp, id, Errors.NONE)));
        });
        return all;
    }

    private static ApiMessage singleResponse(FetchResult result, List<Wanted> wanted, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        Errors groupError = GroupErrors.of(result.error());
        if (version >= 2) {
            response.setErrorCode(groupError.code());
        }
        OffsetFetchResponseTopic current = null;
        for (Wanted w : answered(wanted, result, null, false)) {
            if (current == null || !current.name().equals(w.tp().topic())) {
                current = new OffsetFetchResponseTopic().setName(w.tp().topic());
                response.topics().add(current);
            }
            CommittedOffset o = result.offsets().get(w.tp());
            // Before v2 there is no group-level error: every partition carries it.
            Errors error = version < 2 && result.error() != GroupError.NONE ? groupError
                    : result.unstable().contains(w.tp()) ? Errors.UNSTABLE_OFFSET_COMMIT : Errors.NONE;
            current.partitions().add(new OffsetFetchResponsePartition()
                    .setPartitionIndex(w.tp().partition())
                    .setCommittedOffset(o == null ? -1L : o.offset())
                    .setCommittedLeaderEpoch(version >= 5 && o != null ? o.leaderEpoch() : -1)
                    .setMetadata(o == null ? "" : o.metadata())
                    .setErrorCode(error.code()));
        }
        return response;
    }

    private static OffsetFetchResponseGroup groupResponse(String groupId, FetchResult result, List<Wanted> wanted,
                                                          MetadataImage image, boolean byTopicId) {
        OffsetFetchResponseGroup group = new OffsetFetchResponseGroup()
                .setGroupId(groupId)
                .setErrorCode(GroupErrors.code(result.error()));
        if (result.error() != GroupError.NONE) {
            return group;
        }
        OffsetFetchResponseTopics current = null;
        String currentKey = null;
        for (Wanted w : answered(wanted, result, image, byTopicId)) {
            String key = byTopicId ? w.topicId().toString() : w.tp().topic();
            if (current == null || !key.equals(currentKey)) {
                current = new OffsetFetchResponseTopics().setName(w.tp().topic()).setTopicId(w.topicId());
                currentKey = key;
                group.topics().add(current);
            }
            CommittedOffset o = result.offsets().get(w.tp());
            current.partitions().add(new OffsetFetchResponsePartitions()
                    .setPartitionIndex(w.tp().partition())
                    .setCommittedOffset(o == null ? -1L : o.offset())
                    .setCommittedLeaderEpoch(o == null ? -1 : o.leaderEpoch())
                    .setMetadata(o == null ? "" : o.metadata())
                    .setErrorCode(result.unstable().contains(w.tp()) ? Errors.UNSTABLE_OFFSET_COMMIT.code()
                            : w.error().code()));
        }
        return group;
    }
}
