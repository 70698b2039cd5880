package io.tributary.gateway.mqtt;

import java.util.List;
import java.util.function.Predicate;

/** What one connected client may publish to and subscribe to. */
final class TopicPermissions {

    static final TopicPermissions ALLOW_ALL = new TopicPermissions(List.of("#"), List.of("#"));

    private final List<String> publish;
    private final List<String> subscribe;

    /** Further checks (the broker's ACLs on the mapped Kafka topic); always true without them. */
    private final Predicate<String> publishAcl;
    private final Predicate<String> subscribeAcl;

    TopicPermissions(List<String> publish, List<String> subscribe) {
        this(publish, subscribe, t -> true, f -> true);
    }

    private TopicPermissions(List<String> publish, List<String> subscribe, Predicate<String> publishAcl,
                             Predicate<String> subscribeAcl) {
        this.publish = publish;
        this.subscribe = subscribe;
        this.publishAcl = publishAcl;
        this.subscribeAcl = subscribeAcl;
    }

    /** These permissions, further limited by ACL checks of an MQTT topic (publish) and filter (subscribe). */
    TopicPermissions withAcls(Predicate<String> mayPublishTopic, Predicate<String> maySubscribeFilter) {
        return new TopicPermissions(publish, subscribe, mayPublishTopic, maySubscribeFilter);
    }

    /** Grants with %u and %c replaced by the username and client id. */
    static TopicPermissions of(CredentialsFile.Grants grants, String user, String clientId) {
        return new TopicPermissions(substitute(grants.publish(), user, clientId),
                substitute(grants.subscribe(), user, clientId));
    }

    boolean mayPublish(String topic) {
        // "#" does not match $-topics by MQTT rules, but a grant of "#" means everything.
        return publish.stream().anyMatch(p -> p.equals("#") || TopicFilter.matches(p, topic)) && publishAcl.test(topic);
    }

    boolean maySubscribe(String filter) {
        return subscribe.stream().anyMatch(p -> TopicFilter.covers(p, filter)) && subscribeAcl.test(filter);
    }

    private static List<String> substitute(List<String> filters, String user, String clientId) {
        return filters.stream().map(f -> f.replace("%u", user == null ? "" : user).replace("%c", clientId)).toList();
    }
}
