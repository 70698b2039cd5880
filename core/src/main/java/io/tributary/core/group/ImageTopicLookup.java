package io.tributary.core.group;

import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.metadata.TopicRegistry;
import org.apache.kafka.common.Uuid;

import java.util.Collection;

/** Topic lookups against the current metadata image (lock-free reads from any context). */
final class ImageTopicLookup implements TopicLookup {

    private final TopicRegistry topics;

    ImageTopicLookup(TopicRegistry topics) {
        this.topics = topics;
    }

    @Override
    public TopicMetadata byName(String name) {
        return topics.image().topic(name).map(ImageTopicLookup::toMetadata).orElse(null);
    }

    @Override
    public TopicMetadata byId(Uuid id) {
        return topics.image().topic(id).map(ImageTopicLookup::toMetadata).orElse(null);
    }

    @Override
    public Collection<String> names() {
        return topics.image().topics().stream().map(TopicInfo::name).toList();
    }

    private static TopicMetadata toMetadata(TopicInfo t) {
        return new TopicMetadata(t.name(), t.id(), t.partitionCount());
    }
}
