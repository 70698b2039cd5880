package io.tributary.gateway.mqtt;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.tributary.core.api.Records;
import io.vertx.core.Future;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.MqttUnsubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttUnsubAckReasonCode;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SUBSCRIBE and UNSUBSCRIBE for one connection. A new subscription starts at the current end of each partition
 * it covers (MQTT delivers what is published after subscribing), unless an MQTT 5 user property asks to replay
 * from an offset ({@value #REPLAY_OFFSET}) or a time in epoch milliseconds ({@value #REPLAY_TIMESTAMP}).
 * SUBACK is sent once every start position is known, then retained messages follow.
 */
final class SubscriptionRequests {

    static final String REPLAY_OFFSET = "replay-from-offset";
    static final String REPLAY_TIMESTAMP = "replay-from-timestamp";

    private final GatewayServices gw;
    private final MqttEndpoint endpoint;
    private final Session session;
    private final TopicPermissions permissions;
    /** The session's delivery, started on first use (a connection that never subscribes has none). */
    private final java.util.function.Supplier<SessionDelivery> delivery;
    private final Runnable sessionChanged;
    private final boolean v5;

    SubscriptionRequests(GatewayServices gw, MqttEndpoint endpoint, Session session, TopicPermissions permissions,
                         java.util.function.Supplier<SessionDelivery> delivery, Runnable sessionChanged) {
        this.gw = gw;
        this.endpoint = endpoint;
        this.session = session;
        this.permissions = permissions;
        this.delivery = delivery;
        this.sessionChanged = sessionChanged;
        this.v5 = endpoint.protocolVersion() == 5;
    }

    void onSubscribe(MqttSubscribeMessage msg) {
        int identifier = subscriptionIdentifier(msg.properties());
        long replay = Records.LATEST;
        boolean replayByOffset = false;
        for (Publication.UserProperty u : PublicationCodec.userProperties(msg.properties())) {
            try {
                if (u.name().equals(REPLAY_OFFSET)) {
                    replay = Long.parseLong(u.value().trim());
                    replayByOffset = true;
                } else if (u.name().equals(REPLAY_TIMESTAMP)) {
                    replay = Long.parseLong(u.value().trim());
                }
            } catch (NumberFormatException e) {
                // An unreadable replay position is ignored: the subscription starts at the end.
            }
        }
        List<Future<Object>> results = new ArrayList<>();
        for (MqttTopicSubscription ts : msg.topicSubscriptions()) {
            results.add(subscribe(ts, identifier, replay, replayByOffset));
        }
        Future.join(results).onComplete(ar -> {
            if (!endpoint.isConnected()) {
                return; // The client left meanwhile; its session may already belong to a new connection.
            }
            List<MqttSubAckReasonCode> codes = new ArrayList<>();
            List<Subscription> added = new ArrayList<>();
            List<Boolean> existed = new ArrayList<>();
            for (Future<Object> f : results) {
                Object r = f.succeeded() ? f.result() : MqttSubAckReasonCode.UNSPECIFIED_ERROR;
                if (r instanceof Subscription sub) {
                    existed.add(session.subscriptions.containsKey(sub.key()));
                    Subscription previous = session.subscriptions.get(sub.key());
                    // Replacing a subscription keeps its place in the log: nothing is skipped or repeated.
                    Subscription effective = previous != null ? sub.withFrom(previous.from()) : sub;
                    session.subscriptions.put(sub.key(), effective);
                    added.add(effective);
                    codes.add(MqttSubAckReasonCode.qosGranted(MqttQoS.valueOf(sub.qos())));
                } else {
                    codes.add(v5 ? (MqttSubAckReasonCode) r : MqttSubAckReasonCode.UNSPECIFIED_ERROR);
                }
            }
            SessionDelivery d = delivery.get();
            added.forEach(d::subscriptionAdded);
            sessionChanged.run();
            endpoint.subscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
            for (int i = 0; i < added.size(); i++) {
                Subscription sub = added.get(i);
                boolean send = !sub.shared() && (sub.retainHandling() == 0 || sub.retainHandling() == 1 && !existed.get(i));
                if (send) {
                    d.enqueueRetained(sub, gw.retained().matching(sub.filter()));
                }
            }
        });
    }

    /** Completes with the Subscription, or with the reason code refusing it. */
    private Future<Object> subscribe(MqttTopicSubscription ts, int identifier, long replay, boolean replayByOffset) {
        String raw = ts.topicName();
        String group = null;
        String filter = raw;
        if (raw.startsWith(Subscription.SHARE_PREFIX)) {
            int slash = raw.indexOf('/', Subscription.SHARE_PREFIX.length());
            group = slash < 0 ? "" : raw.substring(Subscription.SHARE_PREFIX.length(), slash);
            filter = slash < 0 ? "" : raw.substring(slash + 1);
            if (group.isEmpty() || group.contains("+") || group.contains("#")) {
                return Future.succeededFuture(MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
            }
        }
        if (!TopicFilter.isValidFilter(filter)) {
            return Future.succeededFuture(MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
        }
        if (!permissions.maySubscribe(filter)) {
            return Future.succeededFuture(MqttSubAckReasonCode.NOT_AUTHORIZED);
        }
        MqttSubscriptionOption option = ts.subscriptionOption();
        int qos = Math.min(2, ts.qualityOfService().value());
        boolean noLocal = option != null && option.isNoLocal();
        if (group != null && noLocal) {
            return Future.succeededFuture(MqttSubAckReasonCode.TOPIC_FILTER_INVALID);
        }
        boolean rap = option != null && option.isRetainAsPublished();
        int rh = option == null ? 0 : option.retainHandling().value();
        String shareGroup = group;
        String theFilter = filter;
        return startOffsets(filter, replay, replayByOffset).map(from -> new Subscription(theFilter, shareGroup, qos,
                noLocal, rap, rh, identifier, from));
    }

    /** Per covered partition, where the subscription starts. */
    private Future<Map<TopicPartition, Long>> startOffsets(String filter, long replay, boolean byOffset) {
        Map<TopicPartition, Long> from = new HashMap<>();
        List<Future<Void>> lookups = new ArrayList<>();
        for (String topic : gw.mapping().kafkaTopicsFor(filter, gw.catalog().names())) {
            for (int p = 0; p < gw.catalog().partitionsOf(topic); p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                Future<Long> offset = byOffset
                        ? gw.api().records().offsets(tp).map(r -> Math.max(r.logStartOffset(), Math.min(replay, r.highWatermark())))
                        : gw.api().records().offsetFor(tp, replay);
                lookups.add(offset.map(o -> {
                    from.put(tp, o);
                    return null;
                }));
            }
        }
        return Future.all(lookups).map(v -> from);
    }

    void onUnsubscribe(MqttUnsubscribeMessage msg) {
        List<MqttUnsubAckReasonCode> codes = new ArrayList<>();
        for (String key : msg.topics()) {
            codes.add(session.subscriptions.remove(key) != null ? MqttUnsubAckReasonCode.SUCCESS
                    : MqttUnsubAckReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        delivery.get().refreshReaders();
        sessionChanged.run();
        if (v5) {
            endpoint.unsubscribeAcknowledge(msg.messageId(), codes, MqttProperties.NO_PROPERTIES);
        } else {
            endpoint.unsubscribeAcknowledge(msg.messageId());
        }
    }

    private static int subscriptionIdentifier(MqttProperties props) {
        MqttProperties.MqttProperty<?> p = props == null ? null : props.getProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER);
        return p != null && p.value() instanceof Integer id ? id : 0;
    }
}
