package io.tributary.core.protocol.handlers;

import io.tributary.core.group.ClassicMessages;
import io.tributary.core.protocol.ApiHandler;
import io.tributary.core.protocol.GroupErrors;
import io.tributary.core.protocol.RequestContext;
import io.vertx.core.Future;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.HeartbeatRequest;

/** Heartbeat (classic protocol): keeps a member's session alive and tells it about rebalances. */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequest> {

    @Override
    public Future<ApiMessage> handle(RequestContext context, HeartbeatRequest request) {
        HeartbeatRequestData d = request.data();
        ClassicMessages.HeartbeatRequest heartbeat = new ClassicMessages.HeartbeatRequest(d.groupId(),
                d.generationId(), d.memberId(), context.apiVersion() >= 3 ? d.groupInstanceId() : null);
        return context.broker().groups().heartbeat(heartbeat)
                .map(error -> new HeartbeatResponseData().setErrorCode(GroupErrors.code(error)));
    }
}
