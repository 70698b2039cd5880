package io.tributary.gateway.mqtt;

import java.util.HashMap;
import java.util.LinkedHashMap;

/**
 * MQTT 5 topic aliases the gateway assigns on one connection, for topics it sends to the client more than once,
 * never more than the client's Topic Alias Maximum. A topic gets an alias on its second send (sent with its name
 * and the alias, so the client learns it) and from then on goes as an empty topic name with the alias. When all
 * aliases are in use, the one whose topic was sent least recently is given to the new topic. Aliases live and die
 * with the connection, as MQTT 5 says. Used on the connection's event loop only.
 */
final class OutboundTopicAliases {

    /** How to send a topic: {@code topicName} is empty when the client already knows {@code alias}; alias 0: none. */
    record Use(String topicName, int alias) {
    }

    private final int maximum;
    /** Topic to alias. */
    private final HashMap<String, Integer> aliases = new HashMap<>();
    /** The topics of {@link #aliases}, least recently sent first. */
    private final LinkedHashMap<String, Integer> recency = new LinkedHashMap<>(16, 0.75f, true);
    /** Topics sent once so far without an alias, least recently sent first, at most {@link #candidateLimit}. */
    private final LinkedHashMap<String, Boolean> sentOnce = new LinkedHashMap<>(16, 0.75f, true);
    private final int candidateLimit;

    /** @param maximum the client's Topic Alias Maximum (0: it takes none) */
    OutboundTopicAliases(int maximum) {
        this.maximum = maximum;
        this.candidateLimit = Math.max(16, Math.min(maximum * 2, 1024));
    }

    /** How {@code topic} would be sent now, without changing anything (the message may yet be skipped). */
    Use plan(String topic) {
        if (maximum == 0) {
            return new Use(topic, 0);
        }
        Integer known = aliases.get(topic);
        if (known != null) {
            return new Use("", known);
        }
        if (!sentOnce.containsKey(topic)) {
            return new Use(topic, 0);
        }
        return new Use(topic, aliases.size() < maximum ? aliases.size() + 1 : eldestAlias());
    }

    /** Records that {@code topic} was sent as {@code use} said. */
    void sent(String topic, Use use) {
        if (maximum == 0) {
            return;
        }
        if (use.alias() == 0) {
            sentOnce.put(topic, Boolean.TRUE);
            if (sentOnce.size() > candidateLimit) {
                sentOnce.remove(sentOnce.keySet().iterator().next());
            }
        } else if (use.topicName().isEmpty()) {
            recency.get(topic); // access order: now the most recently sent
        } else {
            sentOnce.remove(topic);
            if (aliases.size() >= maximum) {
                String eldest = recency.keySet().iterator().next(); // its alias now names this topic
                recency.remove(eldest);
                aliases.remove(eldest);
            }
            aliases.put(topic, use.alias());
            recency.put(topic, use.alias());
        }
    }

    private int eldestAlias() {
        return recency.values().iterator().next();
    }
}
