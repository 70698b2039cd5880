package io.tributary.core.protocol.handlers;

import io.tributary.core.config.BrokerConfigs;
import io.tributary.core.config.TopicConfigValue;
import io.tributary.core.config.TopicConfigs;
import io.tributary.core.logging.LoggerLevels;
import io.tributary.core.metadata.TopicInfo;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.tributary.core.protocol.TopicConfigResponses;
import io.tributary.core.protocol.TopicErrors;
import io.vertx.core.Future;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsRequest;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** DescribeConfigs for topics and brokers (every config with its effective value and source) and broker loggers. */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeConfigsRequest request) {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        boolean synonyms = request.data().includeSynonyms();
        boolean documentation = request.data().includeDocumentation();
        for (DescribeConfigsResource resource : request.data().resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.results().add(result);
            Collection<TopicConfigValue> values;
            if (resource.resourceType() == ConfigResource.Type.BROKER.id()) {
                String name = resource.resourceName();
                if (!name.isEmpty() && !name.equals(String.valueOf(context.broker().nodeId()))) {
                    result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Unexpected broker id, "
                            + "expected " + context.broker().nodeId() + " or empty string, but received " + name);
                    continue;
                }
                values = BrokerConfigs.describe(context.broker().config()).values();
            } else if (resource.resourceType() == ConfigResource.Type.TOPIC.id()) {
                Optional<TopicInfo> topic = context.broker().topics().image().topic(resource.resourceName());
                if (topic.isEmpty()) {
                    Errors error = TopicErrors.forMissingTopic(resource.resourceName());
                    result.setErrorCode(error.code()).setErrorMessage(error.message());
                    continue;
                }
                values = TopicConfigs.describe(topic.get().configs(), context.broker().config()).values();
            } else if (resource.resourceType() == ConfigResource.Type.BROKER_LOGGER.id()) {
                describeLoggers(context, resource, result);
                continue;
            } else {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(
                        "Only topic, broker and broker-logger configs can be described on this broker");
                continue;
            }
            List<String> keys = resource.configurationKeys();
            for (TopicConfigValue value : values) {
                if (keys != null && !keys.contains(value.name())) {
                    continue;
                }
                DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
                        .setName(value.name())
                        .setValue(value.value())
                        .setReadOnly(value.readOnly())
                        .setConfigSource(TopicConfigResponses.source(value).id())
                        .setIsSensitive(value.isSensitive())
                        .setConfigType(TopicConfigResponses.type(value).id())
                        .setDocumentation(documentation ? value.documentation() : null);
                if (synonyms) {
                    entry.synonyms().add(new DescribeConfigsSynonym()
                            .setName(value.name())
                            .setValue(value.value())
                            .setSource(TopicConfigResponses.source(value).id()));
                }
                result.configs().add(entry);
            }
        }
        return Future.succeededFuture(response);
    }

    private static void describeLoggers(RequestContext context, DescribeConfigsResource resource,
                                        DescribeConfigsResult result) {
        Optional<String> refused = BrokerLoggerConfigs.nameProblem(resource.resourceName(), context.broker().nodeId());
        Optional<LoggerLevels> levels = LoggerLevels.current();
        if (refused.isPresent() || levels.isEmpty()) {
            result.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage(refused.orElse(BrokerLoggerConfigs.NO_LEVELS));
        } else {
            result.configs().addAll(BrokerLoggerConfigs.describe(levels.get(), resource.configurationKeys()));
        }
    }
}
