package io.tributary.core.protocol.security;

import io.tributary.core.protocol.RequestContext;
import io.tributary.core.security.BrokerSecurity;
import io.tributary.core.security.KafkaSession;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

/** The one authorisation question every check asks: may this connection's principal do op on the resource? */
final class Authz {

    static final String CLUSTER = "kafka-cluster";

    private Authz() {
    }

    static boolean enabled(RequestContext context) {
        BrokerSecurity security = context.connection().session().security();
        return security != null && security.authorizerEnabled();
    }

    static boolean allowed(RequestContext context, AclOperation op, ResourceType type, String name) {
        KafkaSession session = context.connection().session();
        BrokerSecurity security = session.security();
        return security == null || security.authorize(session.principal(), session.host(), op, type, name);
    }

    static boolean cluster(RequestContext context, AclOperation op) {
        return allowed(context, op, ResourceType.CLUSTER, CLUSTER);
    }

    static boolean topic(RequestContext context, AclOperation op, String topic) {
        return allowed(context, op, ResourceType.TOPIC, topic);
    }

    static boolean group(RequestContext context, AclOperation op, String group) {
        return allowed(context, op, ResourceType.GROUP, group);
    }

    static boolean transactionalId(RequestContext context, AclOperation op, String id) {
        return allowed(context, op, ResourceType.TRANSACTIONAL_ID, id);
    }
}
