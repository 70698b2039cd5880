package io.tributary.core.protocol.handlers;

import io.tributary.core.metadata.MetadataImage;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TopicErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteTopicsRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** DeleteTopics by name (all versions) or by topic id (v6+). */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DeleteTopicsRequest request) {
        List<DeleteTopicState> requested = new ArrayList<>();
        if (context.apiVersion() >= 6) {
            requested.addAll(request.data().topics());
        } else {
            request.data().topicNames().forEach(n -> requested.add(new DeleteTopicState().setName(n)));
        }
        MetadataImage image = context.broker().topics().image();
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        List<Future<Void>> deletions = new ArrayList<>();
        for (DeleteTopicState state : requested) {
            DeletableTopicResult result = new DeletableTopicResult()
                    .setName(state.name())
                    .setTopicId(state.topicId() == null ? Uuid.ZERO_UUID : state.topicId());
            response.responses().add(result);
            Optional<TopicInfo> topic = state.name() != null ? image.topic(state.name()) : image.topic(state.topicId());
            if (topic.isEmpty()) {
                Errors error = state.name() != null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.UNKNOWN_TOPIC_ID;
                result.setErrorCode(error.code()).setErrorMessage(error.message());
                continue;
            }
            result.setName(topic.get().name()).setTopicId(topic.get().id());
            deletions.add(context.broker().topics().delete(topic.get().name())
                    .<Void>map(deleted -> {
                        result.setErrorCode(Errors.NONE.code());
                        return null;
                    })
                    .recover(e -> {
                        result.setErrorCode(TopicErrors.of(e).code()).setErrorMessage(e.getMessage());
                        return Future.succeededFuture();
                    }));
        }
        return Future.join(deletions).transform(ignored -> Future.succeededFuture(response));
    }
}
