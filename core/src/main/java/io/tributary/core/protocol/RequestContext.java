package io.tributary.core.protocol;

import io.tributary.core.BrokerServices;
import io.tributary.core.network.ConnectionInfo;
import org.apache.kafka.common.requests.RequestHeader;

/** One request as a handler sees it: its header, the connection it came on, and the broker. */
public record RequestContext(RequestHeader header, ConnectionInfo connection, BrokerServices broker) {

    public short apiVersion() {
        return header.apiVersion();
    }
}
