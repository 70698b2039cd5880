package io.tributary.core.protocol.handlers;

import io.tributary.core.group.AdminMessages.GroupDescription;
import io.tributary.core.group.AdminMessages.MemberDescription;
import io.tributary.core.group.GroupError;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.DescribeGroupsRequest;

import java.util.ArrayList;
import java.util.List;

/** DescribeGroups: state, protocol and members (with metadata and assignment while stable). */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequest> {

    /** READ, DELETE, DESCRIBE, DESCRIBE_CONFIGS and ALTER_CONFIGS: everything a group supports. */
    static final int ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11);

    @Override
    public Future<ApiMessage> handle(RequestContext context, DescribeGroupsRequest request) {
        short version = context.apiVersion();
        boolean operations = version >= 3 && request.data().includeAuthorizedOperations();
        List<Future<GroupDescription>> described = new ArrayList<>();
        for (String groupId : request.data().groups()) {
            described.add(context.broker().groups().describeGroup(groupId, version >= 6));
        }
        return Future.all(described).map(all -> {
            DescribeGroupsResponseData response = new DescribeGroupsResponseData();
            for (int i = 0; i < described.size(); i++) {
                response.groups().add(toGroup(all.resultAt(i), version, operations));
            }
            return response;
        });
    }

    private static DescribedGroup toGroup(GroupDescription g, short version, boolean operations) {
        DescribedGroup out = new DescribedGroup()
                .setGroupId(g.groupId())
                .setErrorCode(GroupErrors.code(g.error()))
                .setGroupState(g.state())
                .setProtocolType(g.protocolType())
                .setProtocolData(g.protocolData());
        if (version >= 6 && g.error() == GroupError.GROUP_ID_NOT_FOUND) {
            out.setErrorMessage("Group " + g.groupId() + " not found.");
        }
        if (version >= 3) {
            out.setAuthorizedOperations(operations ? ALL_GROUP_OPERATIONS : Integer.MIN_VALUE);
        }
        for (MemberDescription m : g.members()) {
            out.members().add(new DescribedGroupMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.instanceId())
                    .setClientId(m.clientId() == null ? "" : m.clientId())
                    .setClientHost(m.clientHost() == null ? "" : m.clientHost())
                    .setMemberMetadata(m.metadata())
                    .setMemberAssignment(m.assignment()));
        }
        return out;
    }
}
