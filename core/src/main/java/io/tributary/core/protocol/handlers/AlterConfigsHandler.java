package io.tributary.core.protocol.handlers;

import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AlterConfigsRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AlterConfigs (the legacy, non-incremental API): a topic's overrides become exactly the given configs. */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, AlterConfigsRequest request) {
        boolean validateOnly = request.data().validateOnly();
        List<AlterConfigsResource> resources = new ArrayList<>(request.data().resources());
        List<Future<ConfigResources.Outcome>> outcomes = new ArrayList<>();
        for (AlterConfigsResource resource : resources) {
            Map<String, String> configs = new LinkedHashMap<>();
            for (AlterableConfig c : resource.configs()) {
                if (c.value() != null) {
                    configs.put(c.name(), c.value());
                }
            }
            outcomes.add(ConfigResources.alter(context.broker(), resource.resourceType(), resource.resourceName(),
                    validateOnly, current -> configs));
        }
        return Future.all(outcomes).map(all -> {
            AlterConfigsResponseData response = new AlterConfigsResponseData();
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
}
