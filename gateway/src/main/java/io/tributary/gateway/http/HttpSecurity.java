package io.tributary.gateway.http;

import io.tributary.core.config.BrokerConfig;
import io.tributary.core.config.Listener;
import io.tributary.core.config.ListenerProtocols;
import io.tributary.core.security.BrokerSecurity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * Authentication and ACLs of one HTTP listener. On a listener mapped to SASL_PLAINTEXT or SASL_SSL every request
 * must carry HTTP basic credentials, checked like SASL PLAIN (static users or SCRAM users); on TLS listeners a client
 * certificate gives the principal; otherwise requests are {@code User:ANONYMOUS}. With the authorizer on, producing
 * needs WRITE on the topic, streaming and consumer subscriptions READ on the topics, consumer instances READ on the
 * group, creating topics CREATE on the cluster, and describing topics DESCRIBE: the same ACLs as the Kafka listeners.
 */
final class HttpSecurity {

    static final String PRINCIPAL = "tributary.principal";
    /** A {@code Predicate<String>} of the topic names the request's principal may see (DESCRIBE), with ACLs on. */
    static final String TOPIC_FILTER = "tributary.topic.filter";

    private final BrokerSecurity security;
    private final boolean requireCredentials;

    private HttpSecurity(BrokerSecurity security, boolean requireCredentials) {
        this.security = security;
        this.requireCredentials = requireCredentials;
    }

    /** Installs authentication and ACL checks on a listener's router, after the body handler, before every route. */
    static void install(Router router, BrokerSecurity security, BrokerConfig config, Listener listener) {
        if (security == null) {
            return;
        }
        boolean sasl = ListenerProtocols.gateway(config, listener.name()).sasl();
        if (!sasl && !security.authorizerEnabled()) {
            return;
        }
        HttpSecurity s = new HttpSecurity(security, sasl);
        router.route().handler(s::authenticate);
    }

    private void authenticate(RoutingContext ctx) {
        String host = ctx.request().remoteAddress() == null ? "" : ctx.request().remoteAddress().hostAddress();
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                unauthorized(ctx);
                return;
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0 || security.failures().blocked(host)) {
                unauthorized(ctx);
                return;
            }
            String user = decoded.substring(0, colon);
            security.verifyPassword(user, decoded.substring(colon + 1)).onComplete(ar -> {
                if (ar.failed()) {
                    security.failures().failed(host);
                    unauthorized(ctx);
                } else {
                    authorized(ctx, "User:" + user, host);
                }
            });
            return;
        }
        if (requireCredentials) {
            unauthorized(ctx);
            return;
        }
        String principal = ctx.request().isSSL() ? security.principalOf(ctx.request().sslSession())
                : BrokerSecurity.ANONYMOUS;
        authorized(ctx, principal, host);
    }

    private void authorized(RoutingContext ctx, String principal, String host) {
        ctx.put(PRINCIPAL, principal);
        if (!security.authorizerEnabled()) {
            ctx.next();
            return;
        }
        String denied = check(ctx, principal, host);
        if (denied != null) {
            JsonReplies.send(ctx, 403, new JsonObject().put("error_code", 40301).put("message", denied));
            return;
        }
        // Listings show only the topics the principal may describe, as Kafka's Metadata does.
        ctx.put(TOPIC_FILTER, (Predicate<String>) name ->
                allow(principal, host, AclOperation.DESCRIBE, ResourceType.TOPIC, name) == null);
        ctx.next();
    }

    /** What the request is refused for, or null when it is allowed (or needs no ACL). */
    private String check(RoutingContext ctx, String principal, String host) {
        String path = ctx.normalizedPath();
        String method = ctx.request().method().name();
        String[] p = path.split("/");
        // p[0] is "" for an absolute path
        if (p.length >= 3 && p[1].equals("topics")) {
            String topic = p[2];
            if (method.equals("POST")) {
                return allow(principal, host, AclOperation.WRITE, ResourceType.TOPIC, topic);
            }
            if (p.length >= 4 && p[3].equals("stream")) {
                return allow(principal, host, AclOperation.READ, ResourceType.TOPIC, topic);
            }
            return allow(principal, host, AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
        }
        if (p.length >= 3 && p[1].equals("admin") && p[2].equals("topics") && method.equals("POST")) {
            return allow(principal, host, AclOperation.CREATE, ResourceType.CLUSTER, "kafka-cluster");
        }
        if (p.length >= 3 && p[1].equals("admin")) {
            // The operator views (members, groups with lag, MQTT clients) describe the whole cluster.
            return allow(principal, host, AclOperation.DESCRIBE, ResourceType.CLUSTER, "kafka-cluster");
        }
        if (p.length >= 3 && p[1].equals("consumers")) {
            String denied = allow(principal, host, AclOperation.READ, ResourceType.GROUP, p[2]);
            if (denied != null || !method.equals("POST") || p.length < 6) {
                return denied;
            }
            JsonObject body = bodyJson(ctx);
            if (body == null) {
                return null;
            }
            if (p[5].equals("subscription")) {
                if (body.getValue("topic_pattern") != null) {
                    return allow(principal, host, AclOperation.READ, ResourceType.TOPIC, "*");
                }
                JsonArray topics = body.getJsonArray("topics");
                for (int i = 0; topics != null && i < topics.size(); i++) {
                    denied = allow(principal, host, AclOperation.READ, ResourceType.TOPIC, String.valueOf(topics.getValue(i)));
                    if (denied != null) {
                        return denied;
                    }
                }
            } else if (p[5].equals("assignments") || p[5].equals("positions") || p[5].equals("offsets")) {
                JsonArray partitions = body.getJsonArray(p[5].equals("offsets") ? "offsets" : "partitions");
                for (int i = 0; partitions != null && i < partitions.size(); i++) {
                    Object entry = partitions.getValue(i);
                    if (entry instanceof JsonObject o && o.getString("topic") != null) {
                        denied = allow(principal, host, AclOperation.READ, ResourceType.TOPIC, o.getString("topic"));
                        if (denied != null) {
                            return denied;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static JsonObject bodyJson(RoutingContext ctx) {
        try {
            return ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String allow(String principal, String host, AclOperation op, ResourceType type, String name) {
        return security.authorize(principal, host, op, type, name) ? null
                : "Not authorized: " + principal + " may not " + op + " " + type + " " + name;
    }

    private static void unauthorized(RoutingContext ctx) {
        ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"tributary\"");
        JsonReplies.send(ctx, 401, new JsonObject().put("error_code", 40101).put("message", "Authentication required"));
    }
}
