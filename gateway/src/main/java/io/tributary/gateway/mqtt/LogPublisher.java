package io.tributary.gateway.mqtt;

import io.tributary.core.api.ApiException;
import io.tributary.core.api.AppendedRecord;
import io.tributary.core.api.Records;
import io.vertx.core.Future;

import java.util.List;

/** Turns a publication into a record in its Kafka topic (and a retained entry when flagged retain). */
final class LogPublisher {

    private final Records records;
    private final TopicMapping mapping;
    private final RetainedStore retained;
    private final TopicCatalog catalog;

    LogPublisher(Records records, TopicMapping mapping, RetainedStore retained, TopicCatalog catalog) {
        this.records = records;
        this.mapping = mapping;
        this.retained = retained;
        this.catalog = catalog;
    }

    /** The Kafka topic of a publication; fails with INVALID_TOPIC when it maps to none. */
    String kafkaTopicFor(Publication p) {
        String kafkaTopic = mapping.kafkaTopicFor(p.topic());
        if (kafkaTopic == null) {
            throw new ApiException(ApiException.Reason.INVALID_TOPIC,
                    "MQTT topic " + p.topic() + " maps to no legal Kafka topic");
        }
        return kafkaTopic;
    }

    /** Completes once the log acknowledged the record; fails with ApiException (INVALID_TOPIC when unmappable). */
    Future<AppendedRecord> publish(Publication p) {
        try {
            return publishAll(kafkaTopicFor(p), List.of(p)).map(list -> list.get(0));
        } catch (ApiException e) {
            return Future.failedFuture(e);
        }
    }

    /** Appends publications bound for one Kafka topic in one call (one batch per partition), then retains as flagged. */
    Future<List<AppendedRecord>> publishAll(String kafkaTopic, List<Publication> publications) {
        boolean known = catalog.contains(kafkaTopic);
        List<io.tributary.core.api.NewRecord> batch = new java.util.ArrayList<>(publications.size());
        for (Publication p : publications) {
            batch.add(PublicationCodec.toRecord(p));
        }
        Future<List<AppendedRecord>> appended = records.append(kafkaTopic, Records.ANY_PARTITION, batch);
        if (!known) {
            // The append may have created the topic: let waiting wildcard subscriptions see it now.
            appended = appended.onComplete(ar -> catalog.refresh());
        }
        for (Publication p : publications) {
            if (p.retain()) {
                appended = appended.compose(r -> retained.retain(p).map(r));
            }
        }
        return appended;
    }
}
