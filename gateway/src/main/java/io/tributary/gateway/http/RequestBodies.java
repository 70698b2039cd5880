package io.tributary.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads JSON request bodies and their fields, answering 415 and 422 for what a client got wrong. */
final class RequestBodies {

    private RequestBodies() {
    }

    /** The body as a JSON value, or null when there is none. */
    static Object json(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            return Json.decodeValue(body);
        } catch (DecodeException e) {
            throw HttpError.invalidBody("Malformed JSON: " + e.getMessage());
        }
    }

    /**
     * The body of a control request (consumer settings, subscriptions, offsets) as an object; an absent body
     * is an empty object. Its Content-Type, when given, must be a JSON type.
     */
    static JsonObject apiObject(RoutingContext ctx) {
        String contentType = ctx.request().getHeader("Content-Type");
        if (ctx.body().length() > 0 && contentType != null && !MediaTypes.isApiJson(contentType)) {
            throw HttpError.unsupportedMediaType(contentType);
        }
        Object json = json(ctx);
        if (json == null) {
            return new JsonObject();
        }
        if (!(json instanceof JsonObject object)) {
            throw HttpError.invalidBody("The body must be a JSON object");
        }
        return object;
    }

    static JsonArray array(JsonObject body, String field, boolean required) {
        Object value = body.getValue(field);
        if (value == null) {
            if (required) {
                throw HttpError.invalidBody("Field " + field + " is required");
            }
            return null;
        }
        if (!(value instanceof JsonArray array)) {
            throw HttpError.invalidBody("Field " + field + " must be an array");
        }
        return array;
    }

    static JsonObject object(Object value, String what) {
        if (!(value instanceof JsonObject object)) {
            throw HttpError.invalidBody(what + " must be a JSON object");
        }
        return object;
    }

    static String string(JsonObject body, String field, String fallback) {
        Object value = body.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof String text)) {
            throw HttpError.invalidBody("Field " + field + " must be a string");
        }
        return text;
    }

    static String requiredString(JsonObject body, String field) {
        String value = string(body, field, null);
        if (value == null || value.isEmpty()) {
            throw HttpError.invalidBody("Field " + field + " is required");
        }
        return value;
    }

    /** An integral number field; null when absent. */
    static Long integer(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw HttpError.invalidBody("Field " + field + " must be an integer");
        }
        return number.longValue();
    }

    static long requiredInteger(JsonObject body, String field) {
        Long value = integer(body, field);
        if (value == null) {
            throw HttpError.invalidBody("Field " + field + " is required");
        }
        return value;
    }

    /** A path parameter that must be a non-negative int (a partition number). */
    static int partitionParam(RoutingContext ctx, String topic) {
        String raw = ctx.pathParam("partition");
        try {
            int partition = Integer.parseInt(raw);
            if (partition < 0) {
                throw HttpError.partitionNotFound(topic, partition);
            }
            return partition;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("Partition must be a number, was " + raw);
        }
    }

    /** A query parameter that must be a non-negative long when present. */
    static Long longQuery(RoutingContext ctx, String name) {
        String raw = ctx.request().getParam(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        try {
            long value = Long.parseLong(raw);
            if (value < 0) {
                throw HttpError.badRequest("Query parameter " + name + " must not be negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("Query parameter " + name + " must be a number, was " + raw);
        }
    }
}
