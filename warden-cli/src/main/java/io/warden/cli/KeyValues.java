package io.warden.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * {@code key=value} lists: as options take them ({@code --labels team=core,gpu=true}, repeatable)
 * and as tables show them.
 */
final class KeyValues {

    private KeyValues() {
    }

    /**
     * The pairs of every value of {@code option}, in order; each value holds one or more pairs
     * separated by commas. A part without {@code =}, an empty key or a key given twice is a usage error.
     */
    static Map<String, String> parse(String option, List<String> values) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                int eq = part.indexOf('=');
                String key = eq < 0 ? "" : part.substring(0, eq).strip();
                if (key.isEmpty()) {
                    throw CliException.usage("invalid " + option + " \"" + Text.cell(value)
                            + "\": expected key=value pairs separated by commas, e.g. team=core,gpu=true");
                }
                if (pairs.put(key, part.substring(eq + 1).strip()) != null) {
                    throw CliException.usage(option + " gives \"" + Text.cell(key) + "\" twice");
                }
            }
        }
        return pairs;
    }

    /** {@code k=v,k2=v2}, as the tasks API takes a label filter. */
    static String join(Map<String, String> pairs) {
        StringJoiner joiner = new StringJoiner(",");
        pairs.forEach((k, v) -> joiner.add(k + "=" + v));
        return joiner.toString();
    }

    /** A JSON object of strings as {@code k=v,k2=v2}, sorted by key; "" when empty or not an object. */
    static String format(JsonNode object) {
        Map<String, String> sorted = new TreeMap<>();
        object.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asString("")));
        return join(sorted);
    }
}
