package io.tributary.core.security.quota;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client quota entity as Kafka names it: a user, a client id, or both, each either a name or the default
 * ({@code <default>}, a null name on the wire).
 *
 * @param hasUser     whether the entity has a user component
 * @param user        the user name, or null for the default user
 * @param hasClientId whether the entity has a client-id component
 * @param clientId    the client id, or null for the default client id
 */
public record QuotaEntity(boolean hasUser, String user, boolean hasClientId, String clientId) {

    public static final String USER = "user";
    public static final String CLIENT_ID = "client-id";

    public QuotaEntity {
        if (!hasUser && !hasClientId) {
            throw new IllegalArgumentException("a quota entity needs a user or a client id");
        }
        if (!hasUser) {
            user = null;
        }
        if (!hasClientId) {
            clientId = null;
        }
    }

    public static QuotaEntity user(String user) {
        return new QuotaEntity(true, user, false, null);
    }

    public static QuotaEntity clientId(String clientId) {
        return new QuotaEntity(false, null, true, clientId);
    }

    public static QuotaEntity userAndClientId(String user, String clientId) {
        return new QuotaEntity(true, user, true, clientId);
    }

    /** Entity type -> name (null: the default), as the ClientQuotas APIs carry it. */
    public Map<String, String> components() {
        Map<String, String> out = new LinkedHashMap<>();
        if (hasUser) {
            out.put(USER, user);
        }
        if (hasClientId) {
            out.put(CLIENT_ID, clientId);
        }
        return out;
    }

    /** Whether this entity has a component of {@code type} ({@link #USER} or {@link #CLIENT_ID}). */
    public boolean has(String type) {
        return USER.equals(type) ? hasUser : CLIENT_ID.equals(type) && hasClientId;
    }

    /** The name of the component of {@code type}; null for the default. */
    public String name(String type) {
        return USER.equals(type) ? user : clientId;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (hasUser) {
            s.append("user=").append(Objects.requireNonNullElse(user, "<default>"));
        }
        if (hasClientId) {
            s.append(hasUser ? "," : "").append("client-id=").append(Objects.requireNonNullElse(clientId, "<default>"));
        }
        return s.toString();
    }
}
