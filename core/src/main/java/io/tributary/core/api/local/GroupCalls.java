package io.tributary.core.api.local;

import io.tributary.core.group.ConsumerMessages.HeartbeatRequest;
import io.tributary.core.group.ConsumerMessages.HeartbeatResult;
import io.tributary.core.group.OffsetMessages.CommitRequest;
import io.tributary.core.group.OffsetMessages.CommitResult;
import io.tributary.core.group.OffsetMessages.FetchRequest;
import io.tributary.core.group.OffsetMessages.FetchResult;
import io.vertx.core.Future;

/** The group coordinator calls the gateways' and connectors' group members make, wherever the group lives. */
interface GroupCalls {

    Future<FetchResult> fetchOffsets(FetchRequest request);

    Future<CommitResult> commitOffsets(CommitRequest request);

    Future<HeartbeatResult> consumerGroupHeartbeat(HeartbeatRequest request);
}
