package io.tributary.core.config;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Checks a parsed config value. {@link #describe} completes "must be ..." so that every failure
 * message says what is allowed.
 */
public interface Validator {

    /** True when the parsed value is allowed. */
    boolean accepts(Object value);

    /** What is allowed, as a phrase: "an integer >= 1", "one of CreateTime, LogAppendTime". */
    String describe(ConfigDef.Type type);

    /** Why a value is refused; validators with more specific reasons override this. */
    default String problem(Object value, ConfigDef.Type type) {
        return accepts(value) ? null : "must be " + describe(type);
    }

    static Validator atLeast(long min) {
        return of(v -> ((Number) v).longValue() >= min, type -> type.phrase() + " >= " + min);
    }

    static Validator between(double min, double max) {
        return of(v -> ((Number) v).doubleValue() >= min && ((Number) v).doubleValue() <= max,
                type -> type.phrase() + " between " + format(min) + " and " + format(max));
    }

    /** Exact (case-sensitive, as in Kafka) choice among string values. */
    static Validator oneOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        return of(set::contains, type -> "one of " + String.join(", ", allowed));
    }

    /** A non-empty list whose every element is one of the allowed values. */
    static Validator listOf(String... allowed) {
        Set<String> set = Set.of(allowed);
        return of(v -> !((List<?>) v).isEmpty() && set.containsAll((List<?>) v),
                type -> "a non-empty comma-separated list of " + String.join(", ", allowed));
    }

    static Validator nonEmpty() {
        return of(v -> !v.toString().isEmpty(), type -> "a non-empty " + type.phrase().replaceFirst("^an? ", ""));
    }

    static Validator of(Predicate<Object> test, Function<ConfigDef.Type, String> description) {
        return new Validator() {
            @Override
            public boolean accepts(Object value) {
                return test.test(value);
            }

            @Override
            public String describe(ConfigDef.Type type) {
                return description.apply(type);
            }
        };
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
