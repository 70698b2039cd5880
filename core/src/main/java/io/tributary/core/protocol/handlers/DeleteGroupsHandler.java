package io.tributary.core.protocol.handlers;

import io.tributary.core.group.GroupError;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DeleteGroupsRequest;

import java.util.ArrayList;
import java.util.List;

/** DeleteGroups: each empty group is deleted with its offsets; others get NON_EMPTY_GROUP. */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, DeleteGroupsRequest request) {
        List<String> ids = request.data().groupsNames();
        List<Future<GroupError>> deletions = new ArrayList<>();
        for (String groupId : ids) {
            deletions.add(context.broker().groups().deleteGroup(groupId));
        }
        return Future.all(deletions).map(all -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            for (int i = 0; i < ids.size(); i++) {
                if (response.results().find(ids.get(i)) == null) {
                    response.results().add(new DeletableGroupResult()
                            .setGroupId(ids.get(i))
                            .setErrorCode(GroupErrors.code(all.<GroupError>resultAt(i))));
                }
            }
            return response;
        });
    }
}
