package io.tributary.core.protocol.handlers;

import io.tributary.core.group.ClassicMessages.LeaveRequest;
import io.tributary.core.group.ClassicMessages.LeaveResult;
import io.tributary.core.group.ClassicMessages.MemberIdentity;
import io.tributary.core.group.ClassicMessages.MemberLeft;
import io.tributary.core.group.GroupError;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.LeaveGroupRequest;

import java.util.ArrayList;
import java.util.List;

/** LeaveGroup: one member (v0-2) or a batch of members, static ones by instance id (v3+). */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, LeaveGroupRequest request) {
        short version = context.apiVersion();
        LeaveGroupRequestData d = request.data();
        List<MemberIdentity> members = new ArrayList<>();
        if (version >= 3) {
            d.members().forEach(m -> members.add(new MemberIdentity(m.memberId(), m.groupInstanceId())));
        } else {
            members.add(new MemberIdentity(d.memberId(), null));
        }
        return context.broker().groups().leaveGroup(new LeaveRequest(d.groupId(), members))
                .map(result -> toResponse(result, version));
    }

    private static ApiMessage toResponse(LeaveResult result, short version) {
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (version < 3) {
            // A single member: its outcome is the response's error.
            GroupError error = result.error() != GroupError.NONE || result.members().isEmpty()
                    ? result.error() : result.members().get(0).error();
            return response.setErrorCode(GroupErrors.code(error));
        }
        response.setErrorCode(GroupErrors.code(result.error()));
        for (MemberLeft m : result.members()) {
            response.members().add(new MemberResponse()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.instanceId())
                    .setErrorCode(GroupErrors.code(m.error())));
        }
        return response;
    }
}
