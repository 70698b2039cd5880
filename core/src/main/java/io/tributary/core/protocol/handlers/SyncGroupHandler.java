package io.tributary.core.protocol.handlers;

import io.tributary.core.group.ClassicMessages.SyncRequest;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.SyncGroupRequest;

import java.util.HashMap;
import java.util.Map;

/** SyncGroup: the leader hands in the assignment; every member gets its part once it is stored. */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, SyncGroupRequest request) {
        short version = context.apiVersion();
        SyncGroupRequestData d = request.data();
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestAssignment a : d.assignments()) {
            assignments.put(a.memberId(), a.assignment());
        }
        SyncRequest sync = new SyncRequest(d.groupId(), d.generationId(), d.memberId(),
                version >= 3 ? d.groupInstanceId() : null, version >= 5 ? d.protocolType() : null,
                version >= 5 ? d.protocolName() : null, assignments);
        return context.broker().groups().syncGroup(sync).map(r -> new SyncGroupResponseData()
                .setErrorCode(GroupErrors.code(r.error()))
                .setProtocolType(version >= 5 ? r.protocolType() : null)
                .setProtocolName(version >= 5 ? r.protocolName() : null)
                .setAssignment(r.assignment()));
    }
}
