package io.tributary.gateway.http;

import io.tributary.core.api.Admin;
import io.tributary.core.api.ClusterOverview;
import io.tributary.core.api.GroupDetail;
import io.tributary.core.api.GroupMemberInfo;
import io.tributary.core.api.GroupPartitionLag;
import io.tributary.core.api.MemberInfo;
import io.tributary.core.api.PartitionOverview;
import io.tributary.core.api.TopicDescription;
import io.tributary.core.api.Topics;
import io.tributary.gateway.mqtt.MqttClientInfo;
import io.tributary.gateway.mqtt.MqttClients;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read-only operator views under {@code /admin}: the cluster's members, topics with their partitions' replicas,
 * offsets and sizes, consumer groups with their lag, and the MQTT clients connected to this member. The web
 * console is built on these.
 */
final class AdminRoutes {

    private final Admin admin;
    private final Topics topics;
    private final MqttClients mqttClients;

    AdminRoutes(Admin admin, Topics topics, MqttClients mqttClients) {
        this.admin = admin;
        this.topics = topics;
        this.mqttClients = mqttClients;
    }

    void mount(Router router) {
        router.get("/admin/cluster").handler(this::cluster);
        router.get("/admin/topics").handler(this::topics);
        router.get("/admin/topics/:topic").handler(this::topic);
        router.get("/admin/groups").handler(this::groups);
        router.get("/admin/groups/:group").handler(this::group);
        router.get("/admin/mqtt/clients").handler(this::mqttClients);
    }

    private void cluster(RoutingContext ctx) {
        admin.cluster().onSuccess(c -> JsonReplies.send(ctx, 200, clusterJson(c))).onFailure(ctx::fail);
    }

    private static JsonObject clusterJson(ClusterOverview cluster) {
        JsonArray members = new JsonArray();
        for (MemberInfo m : cluster.members()) {
            members.add(new JsonObject().put("node_id", m.nodeId()).put("host", m.host()).put("port", m.port())
                    .put("rack", m.rack()).put("self", m.self()));
        }
        return new JsonObject().put("cluster_id", cluster.clusterId()).put("controller_id", cluster.controllerId())
                .put("members", members);
    }

    /** Every topic, internal ones flagged, with its partition count, total size and retention. */
    private void topics(RoutingContext ctx) {
        List<TopicDescription> all = topics.list();
        List<Future<List<PartitionOverview>>> partitions = new ArrayList<>();
        for (TopicDescription t : all) {
            // A topic deleted since the listing counts as empty rather than failing the whole answer.
            partitions.add(admin.partitions(t.name()).otherwise(List.of()));
        }
        Future.all(partitions).onSuccess(v -> {
            JsonArray answer = new JsonArray();
            for (int i = 0; i < all.size(); i++) {
                TopicDescription t = all.get(i);
                long size = partitions.get(i).result().stream().mapToLong(p -> Math.max(0, p.sizeBytes())).sum();
                Map<String, String> configs = admin.topicConfigs(t.name()).orElse(Map.of());
                answer.add(new JsonObject().put("name", t.name()).put("partitions", t.partitions())
                        .put("internal", t.internal()).put("size_bytes", size)
                        .put("retention_ms", longOrNull(configs.get("retention.ms")))
                        .put("retention_bytes", longOrNull(configs.get("retention.bytes")))
                        .put("cleanup_policy", configs.get("cleanup.policy")));
            }
            JsonReplies.send(ctx, 200, answer);
        }).onFailure(ctx::fail);
    }

    private void topic(RoutingContext ctx) {
        String name = ctx.pathParam("topic");
        TopicDescription topic = topics.describe(name).orElseThrow(() -> HttpError.topicNotFound(name));
        admin.partitions(name).onSuccess(partitions -> {
            JsonArray rows = new JsonArray();
            for (PartitionOverview p : partitions) {
                rows.add(new JsonObject().put("partition", p.partition()).put("leader", p.leader())
                        .put("replicas", new JsonArray(new ArrayList<>(p.replicas())))
                        .put("isr", new JsonArray(new ArrayList<>(p.isr())))
                        .put("log_start_offset", p.logStartOffset()).put("log_end_offset", p.logEndOffset())
                        .put("size_bytes", p.sizeBytes()));
            }
            JsonObject configs = new JsonObject();
            admin.topicConfigs(name).orElse(Map.of()).forEach(configs::put);
            JsonReplies.send(ctx, 200, new JsonObject().put("name", topic.name()).put("internal", topic.internal())
                    .put("partitions", rows).put("configs", configs));
        }).onFailure(ctx::fail);
    }

    private void groups(RoutingContext ctx) {
        admin.groups().onSuccess(groups -> {
            JsonArray answer = new JsonArray();
            groups.forEach(g -> answer.add(new JsonObject().put("group_id", g.groupId()).put("type", g.type())
                    .put("state", g.state()).put("members", g.memberCount())));
            JsonReplies.send(ctx, 200, answer);
        }).onFailure(ctx::fail);
    }

    private void group(RoutingContext ctx) {
        String id = ctx.pathParam("group");
        admin.group(id).onSuccess(found -> {
            if (found.isEmpty()) {
                ctx.fail(HttpError.notFound("Consumer group " + id + " not found."));
                return;
            }
            GroupDetail group = found.get();
            JsonArray members = new JsonArray();
            for (GroupMemberInfo m : group.members()) {
                JsonArray assigned = new JsonArray();
                for (TopicPartition tp : m.assigned()) {
                    assigned.add(new JsonObject().put("topic", tp.topic()).put("partition", tp.partition()));
                }
                members.add(new JsonObject().put("member_id", m.memberId()).put("client_id", m.clientId())
                        .put("host", m.host()).put("assignments", assigned));
            }
            JsonArray offsets = new JsonArray();
            for (GroupPartitionLag o : group.offsets()) {
                offsets.add(new JsonObject().put("topic", o.partition().topic())
                        .put("partition", o.partition().partition()).put("committed_offset", o.committed())
                        .put("log_end_offset", o.logEnd()).put("lag", o.lag()));
            }
            JsonReplies.send(ctx, 200, new JsonObject().put("group_id", group.groupId()).put("type", group.type())
                    .put("state", group.state()).put("total_lag", group.totalLag()).put("members", members)
                    .put("offsets", offsets));
        }).onFailure(ctx::fail);
    }

    private void mqttClients(RoutingContext ctx) {
        JsonArray answer = new JsonArray();
        for (MqttClientInfo c : mqttClients.connected()) {
            answer.add(new JsonObject().put("client_id", c.clientId()).put("username", c.username())
                    .put("remote_address", c.remoteAddress()).put("protocol_version", c.protocolVersion())
                    .put("connected_since", Instant.ofEpochMilli(c.connectedAtMs()).toString())
                    .put("subscriptions", c.subscriptions()));
        }
        JsonReplies.send(ctx, 200, answer);
    }

    private static Long longOrNull(String value) {
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
