package io.tributary.core.protocol;

import io.tributary.core.group.GroupError;
import org.apache.kafka.common.protocol.Errors;

/** Maps the group coordinator's outcomes to Kafka error codes (the names are the same by design). */
public final class GroupErrors {

    private GroupErrors() {
    }

    public static Errors of(GroupError error) {
        return Errors.valueOf(error.name());
    }

    public static short code(GroupError error) {
        return of(error).code();
    }
}
