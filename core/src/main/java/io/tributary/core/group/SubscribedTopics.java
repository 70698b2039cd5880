package io.tributary.core.group;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Which topics a group's members subscribe to, for either protocol. */
final class SubscribedTopics {

    private static final Logger LOG = LoggerFactory.getLogger(SubscribedTopics.class);

    private final SubscriptionParser parser;
    private final TopicLookup topics;

    SubscribedTopics(SubscriptionParser parser, TopicLookup topics) {
        this.parser = parser;
        this.topics = topics;
    }

    Set<String> of(ClassicGroup group) {
        Set<String> result = new HashSet<>();
        if ("consumer".equals(group.protocolType())) {
            for (byte[] metadata : group.currentMetadata()) {
                result.addAll(parser.topics(metadata));
            }
        }
        return result;
    }

    Set<String> of(ConsumerGroup group) {
        Set<String> result = new HashSet<>();
        for (ConsumerMember m : group.members()) {
            result.addAll(of(m));
        }
        return result;
    }

    /** A member's topics: its names plus the existing topics its regex matches, sorted. */
    Set<String> of(ConsumerMember member) {
        Set<String> result = new TreeSet<>(member.subscribedTopicNames);
        if (member.subscribedTopicRegex != null && !member.subscribedTopicRegex.isEmpty()) {
            result.addAll(matching(member.subscribedTopicRegex));
        }
        return result;
    }

    List<String> matching(String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            LOG.debug("Ignoring invalid subscription regex {}", regex);
            return List.of();
        }
        return topics.names().stream()
                .filter(name -> !name.startsWith("__"))
                .filter(name -> pattern.matcher(name).matches())
                .toList();
    }

    static boolean isValidRegex(String regex) {
        try {
            Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
