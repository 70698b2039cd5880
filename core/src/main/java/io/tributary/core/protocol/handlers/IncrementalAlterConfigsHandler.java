package io.tributary.core.protocol.handlers;

import io.tributary.core.config.ConfigChange;
import io.tributary.core.logging.LoggerLevels;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * IncrementalAlterConfigs (what kafka-configs and Admin.incrementalAlterConfigs use): SET, DELETE,
 * APPEND and SUBTRACT on a topic's overrides, validated with Kafka's names and rules; SET and DELETE on this
 * broker's log levels (broker loggers).
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler<IncrementalAlterConfigsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, IncrementalAlterConfigsRequest request) {
        boolean validateOnly = request.data().validateOnly();
        List<AlterConfigsResource> resources = new ArrayList<>(request.data().resources());
        List<Future<ConfigResources.Outcome>> outcomes = new ArrayList<>();
        for (AlterConfigsResource resource : resources) {
            List<ConfigChange> changes = new ArrayList<>();
            Set<String> names = new HashSet<>();
            String problem = null;
            for (AlterableConfig c : resource.configs()) {
                if (!names.add(c.name())) {
                    problem = "Error due to duplicate config keys";
                } else if (c.configOperation() < 0 || c.configOperation() >= ConfigChange.Op.values().length) {
                    problem = "Unknown config operation " + c.configOperation() + " for " + c.name();
                } else {
                    changes.add(new ConfigChange(c.name(), ConfigChange.Op.values()[c.configOperation()], c.value()));
                }
            }
            if (problem != null) {
                outcomes.add(Future.succeededFuture(new ConfigResources.Outcome(Errors.INVALID_REQUEST, problem)));
                continue;
            }
            if (resource.resourceType() == ConfigResource.Type.BROKER_LOGGER.id()) {
                outcomes.add(Future.succeededFuture(alterLoggers(context, resource.resourceName(), changes,
                        validateOnly)));
                continue;
            }
            outcomes.add(ConfigResources.alter(context.broker(), resource.resourceType(), resource.resourceName(),
                    validateOnly, current -> ConfigChange.applyToTopic(current, changes, context.broker().config())));
        }
        return Future.all(outcomes).map(all -> {
            IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
            for (int i = 0; i < resources.size(); i++) {
                ConfigResources.Outcome o = all.resultAt(i);
                response.responses().add(new AlterConfigsResourceResponse()
                        .setResourceType(resources.get(i).resourceType())
                        .setResourceName(resources.get(i).resourceName())
                        .setErrorCode(o.error().code())
                        .setErrorMessage(o.message()));
            }
            return response;
        });
    }

    private static ConfigResources.Outcome alterLoggers(RequestContext context, String name,
                                                        List<ConfigChange> changes, boolean validateOnly) {
        Optional<String> refused = BrokerLoggerConfigs.nameProblem(name, context.broker().nodeId());
        if (refused.isPresent()) {
            return new ConfigResources.Outcome(Errors.INVALID_REQUEST, refused.get());
        }
        return LoggerLevels.current()
                .map(levels -> BrokerLoggerConfigs.alter(levels, changes, validateOnly))
                .orElse(new ConfigResources.Outcome(Errors.INVALID_REQUEST, BrokerLoggerConfigs.NO_LEVELS));
    }
}
