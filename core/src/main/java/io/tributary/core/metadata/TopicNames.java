package io.tributary.core.metadata;

import java.util.regex.Pattern;

/** Kafka's rules for legal topic names, so that names that work here also work on Kafka. */
public final class TopicNames {

    public static final int MAX_LENGTH = 249;
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]+");

    private TopicNames() {
    }

    /** Throws {@link TopicException} with reason INVALID_NAME if the name is not a legal Kafka topic name. */
    public static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("Topic name is empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid("Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid("Topic name is longer than " + MAX_LENGTH + " characters");
        }
        if (!LEGAL.matcher(name).matches()) {
            throw invalid("Topic name \"" + name + "\" is illegal: it contains a character other than ASCII "
                    + "letters, digits, '.', '_' and '-'");
        }
    }

    private static TopicException invalid(String message) {
        return new TopicException(TopicException.Reason.INVALID_NAME, message);
    }
}
