package io.tributary.core.protocol.handlers;

import io.tributary.core.group.ClassicMessages.JoinRequest;
import io.tributary.core.group.ClassicMessages.JoinResult;
import io.tributary.core.group.ClassicMessages.JoinedMember;
import io.tributary.core.group.ClassicMessages.Protocol;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.ClientAddress;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.JoinGroupRequest;

import java.util.ArrayList;
import java.util.List;

/** JoinGroup (classic protocol); the response is held by the coordinator until the rebalance completes. */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, JoinGroupRequest request) {
        short version = context.apiVersion();
        JoinGroupRequestData d = request.data();
        List<Protocol> protocols = new ArrayList<>();
        for (JoinGroupRequestProtocol p : d.protocols()) {
            protocols.add(new Protocol(p.name(), p.metadata()));
        }
        // v0 has no rebalance timeout: the session timeout serves as both.
        int rebalanceTimeout = version >= 1 && d.rebalanceTimeoutMs() > 0 ? d.rebalanceTimeoutMs() : d.sessionTimeoutMs();
        JoinRequest join = new JoinRequest(d.groupId(), d.memberId() == null ? "" : d.memberId(),
                version >= 5 ? d.groupInstanceId() : null, d.protocolType(), protocols, d.sessionTimeoutMs(),
                rebalanceTimeout, JoinGroupRequest.requiresKnownMemberId(version),
                JoinGroupRequest.supportsSkippingAssignment(version), ClientAddress.clientId(context),
                ClientAddress.host(context));
        return context.broker().groups().joinGroup(join).map(result -> toResponse(result, version));
    }

    private static ApiMessage toResponse(JoinResult r, short version) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setErrorCode(GroupErrors.code(r.error()))
                .setGenerationId(r.generation())
                .setProtocolType(version >= 7 ? r.protocolType() : null)
                // Before v7 the protocol name is not nullable.
                .setProtocolName(r.protocolName() == null && version < 7 ? "" : r.protocolName())
                .setLeader(r.leaderId() == null ? "" : r.leaderId())
                .setMemberId(r.memberId() == null ? "" : r.memberId());
        if (version >= 9) {
            response.setSkipAssignment(r.skipAssignment());
        }
        for (JoinedMember m : r.members()) {
            response.members().add(new JoinGroupResponseMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.instanceId())
                    .setMetadata(m.metadata() == null ? new byte[0] : m.metadata()));
        }
        return response;
    }
}
