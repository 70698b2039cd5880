package io.tributary.gateway.http;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * How a consumer instance was created: {@code {"name","format","auto.offset.reset","auto.commit.enable"}} as in
 * the REST Proxy (Kafka's {@code enable.auto.commit} spelling is accepted too).
 */
record ConsumerSettings(String name, EmbeddedFormat format, boolean resetToEarliest, boolean autoCommit) {

    static ConsumerSettings parse(JsonObject body, String generatedName) {
        String name = RequestBodies.string(body, "name", generatedName);
        if (name.isEmpty() || !name.matches("[A-Za-z0-9._-]+")) {
            throw HttpError.invalidConsumerConfig("name may contain only letters, digits, '.', '_' and '-'");
        }
        EmbeddedFormat format = EmbeddedFormat.byName(RequestBodies.string(body, "format", "binary"));
        String reset = RequestBodies.string(body, "auto.offset.reset", "latest").toLowerCase(Locale.ROOT);
        if (!reset.equals("earliest") && !reset.equals("latest")) {
            throw HttpError.invalidConsumerConfig("auto.offset.reset must be earliest or latest, was " + reset);
        }
        Object commit = body.getValue("auto.commit.enable", body.getValue("enable.auto.commit", "true"));
        String commitText = String.valueOf(commit).toLowerCase(Locale.ROOT);
        if (!commitText.equals("true") && !commitText.equals("false")) {
            throw HttpError.invalidConsumerConfig("auto.commit.enable must be true or false, was " + commit);
        }
        return new ConsumerSettings(name, format, reset.equals("earliest"), commitText.equals("true"));
    }
}
