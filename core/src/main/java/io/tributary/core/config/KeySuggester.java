package io.tributary.core.config;

import java.util.Locale;
import java.util.Optional;

/** Finds the known key closest to a misspelt one (Levenshtein distance), for "did you mean" hints. */
final class KeySuggester {

    private KeySuggester() {
    }

    /** The closest candidate, if it is close enough to be a plausible typo; ties go to the first. */
    static Optional<String> closest(String input, Iterable<String> candidates) {
        String needle = input.toLowerCase(Locale.ROOT);
        // A third of the length allows "log.retention.ms" for "retention.ms" but not wild guesses.
        int limit = Math.max(2, needle.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(needle, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return bestDistance <= limit ? Optional.ofNullable(best) : Optional.empty();
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
