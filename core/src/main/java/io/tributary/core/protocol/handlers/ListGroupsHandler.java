package io.tributary.core.protocol.handlers;

import io.tributary.core.group.AdminMessages.GroupListing;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListGroupsRequest;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;

/** ListGroups, with the states (v4+) and types (v5+) filters. */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, ListGroupsRequest request) {
        short version = context.apiVersion();
        Set<String> states = version >= 4 ? new HashSet<>(request.data().statesFilter()) : Set.of();
        Set<String> types = version >= 5 ? new HashSet<>(request.data().typesFilter()) : Set.of();
        return context.broker().groups().listGroups(states, types).map(groups -> {
            ListGroupsResponseData response = new ListGroupsResponseData().setErrorCode(Errors.NONE.code());
            groups.stream().sorted(Comparator.comparing(GroupListing::groupId)).forEach(g ->
                    response.groups().add(new ListedGroup()
                            .setGroupId(g.groupId())
                            .setProtocolType(g.protocolType())
                            .setGroupState(g.state())
                            .setGroupType(g.type().protocolName())));
            return response;
        });
    }
}
