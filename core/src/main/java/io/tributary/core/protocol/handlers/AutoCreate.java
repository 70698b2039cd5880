package io.tributary.core.protocol.handlers;

import io.tributary.core.BrokerServices;
import io.tributary.core.metadata.TopicException;
import io.tributary.core.metadata.TopicInfo;
import io.vertx.core.Future;

import java.util.Map;

/** Creates a topic on first use with the broker's defaults, as auto.create.topics.enable does in Kafka. */
final class AutoCreate {

    private AutoCreate() {
    }

    /** Succeeds when the topic exists afterwards, whoever created it. */
    static Future<TopicInfo> topic(BrokerServices broker, String name) {
        return broker.topics().create(name, broker.config().numPartitions(), Map.of(), false)
                .recover(e -> {
                    if (e instanceof TopicException te && te.reason() == TopicException.Reason.ALREADY_EXISTS) {
                        return Future.succeededFuture(broker.topics().image().topic(name).orElseThrow());
                    }
                    return Future.failedFuture(e);
                });
    }
}
