package io.warden.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** Human ages for tables: 5s, 3m, 2h, 4d, 2y; coarse on purpose, like kubectl's AGE column. */
final class Age {

    static final String UNKNOWN = "<unknown>";

    private Age() {
    }

    static String format(Duration age) {
        long s = Math.max(0, age.getSeconds()); // a server clock slightly ahead is not "-2s"
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return s / 3600 + "h";
        }
        if (s < 365 * 86_400L) {
            return s / 86_400 + "d";
        }
        return s / (365 * 86_400L) + "y";
    }

    /**
     * An ISO-8601 instant from the identity API relative to now: {@code 5m ago} or {@code in 29d};
     * {@code absent} when the field is missing (a user who never logged in, a token without expiry).
     */
    static String relative(String timestamp, Instant now, String absent) {
        if (timestamp == null) {
            return absent;
        }
        Instant t;
        try {
            t = Instant.parse(timestamp);
        } catch (DateTimeException e) {
            return UNKNOWN;
        }
        return t.isAfter(now) ? "in " + format(Duration.between(now, t)) : format(Duration.between(t, now)) + " ago";
    }

    /** Age of a resource from {@code metadata.creationTimestamp}. */
    static String of(JsonNode resource, Instant now) {
        return since(Json.text(resource, "metadata", "creationTimestamp"), now);
    }

    /** The time since an ISO-8601 instant such as a task's {@code createdAt}; {@value #UNKNOWN} when absent or invalid. */
    static String since(String timestamp, Instant now) {
        Instant t = parse(timestamp);
        return t == null ? UNKNOWN : format(Duration.between(t, now));
    }

    static Instant timestamp(JsonNode resource, String field) {
        return parse(Json.text(resource, "metadata", field));
    }

    private static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
