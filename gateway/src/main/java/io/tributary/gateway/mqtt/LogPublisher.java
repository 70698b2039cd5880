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

    /** Completes once the log acknowledged the record; fails with ApiException (INVALID_TOPIC when unmappable). */
    Future<AppendedRecord> publish(Publication p) {
        String kafkaTopic = mapping.kafkaTopicFor(p.topic());
        if (kafkaTopic == null) {
            return Future.failedFuture(new ApiException(ApiException.Reason.INVALID_TOPIC,
                    "MQTT topic " + p.topic() + " maps to no legal Kafka topic"));
        }
        boolean known = catalog.contains(kafkaTopic);
        Future<AppendedRecord> appended = records.append(kafkaTopic, Records.ANY_PARTITION,
                List.of(PublicationCodec.toRecord(p))).map(list -> list.get(0));
        if (!known) {
            // The append may have created the topic: let waiting wildcard subscriptions see it now.
            appended = appended.onComplete(ar -> catalog.refresh());
        }
        if (p.retain()) {
            appended = appended.compose(r -> retained.retain(p).map(r));
        }
        return appended;
    }
}
