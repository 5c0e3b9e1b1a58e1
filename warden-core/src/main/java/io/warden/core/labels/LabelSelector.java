package io.warden.core.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed label selector, Kubernetes syntax: {@code key=value}, {@code key==value},
 * {@code key!=value}, {@code key}, {@code !key}, {@code key in (a,b)}, {@code key notin (a,b)},
 * joined by commas; every requirement must hold.
 */
public final class LabelSelector {

    /** A selector that matches everything. */
    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private static final String KEY = "[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?";
    private static final String VALUE = "([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?";
    private static final Pattern SET_TERM = Pattern.compile(
            "\\s*(" + KEY + ")\\s+(in|notin)\\s*\\(([^()]*)\\)\\s*");
    private static final Pattern EQUALITY_TERM = Pattern.compile(
            "\\s*(" + KEY + ")\\s*(==|!=|=)\\s*(" + VALUE + ")\\s*");
    private static final Pattern EXISTS_TERM = Pattern.compile("\\s*(!?)\\s*(" + KEY + ")\\s*");
    private static final Pattern VALUE_ONLY = Pattern.compile(VALUE);
    private static final int MAX_LENGTH = 4096;

    private sealed interface Requirement {
        boolean test(Map<String, String> labels);
    }

    private record Equals(String key, String value, boolean negated) implements Requirement {
        public boolean test(Map<String, String> labels) {
            boolean eq = value.equals(labels.get(key));
            return negated != eq;
        }
    }

    private record In(String key, Set<String> values, boolean negated) implements Requirement {
        public boolean test(Map<String, String> labels) {
            String v = labels.get(key);
            return negated ? v == null || !values.contains(v) : v != null && values.contains(v);
        }
    }

    private record Exists(String key, boolean negated) implements Requirement {
        public boolean test(Map<String, String> labels) {
            return negated != labels.containsKey(key);
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /**
     * Parses a selector. A null or blank string selects everything.
     *
     * @throws IllegalArgumentException naming the first term that is not valid
     */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        if (selector.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("label selector is longer than " + MAX_LENGTH + " characters");
        }
        List<Requirement> out = new ArrayList<>();
        for (String term : splitTerms(selector)) {
            out.add(parseTerm(term));
        }
        return new LabelSelector(List.copyOf(out));
    }

    /** Splits on commas that are not inside parentheses. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
            if (depth < 0 || depth > 1) {
                throw new IllegalArgumentException("unbalanced parentheses in label selector");
            }
        }
        if (depth != 0) {
            throw new IllegalArgumentException("unbalanced parentheses in label selector");
        }
        terms.add(selector.substring(start));
        return terms;
    }

    private static Requirement parseTerm(String term) {
        Matcher m = SET_TERM.matcher(term);
        if (m.matches()) {
            Set<String> values = new java.util.TreeSet<>();
            for (String v : m.group(4).split(",", -1)) {
                String value = v.strip();
                if (value.isEmpty() || !VALUE_ONLY.matcher(value).matches()) {
                    throw invalid(term);
                }
                values.add(value);
            }
            return new In(m.group(1), Set.copyOf(values), m.group(3).equals("notin"));
        }
        m = EQUALITY_TERM.matcher(term);
        if (m.matches()) {
            return new Equals(m.group(1), m.group(4), m.group(3).equals("!="));
        }
        m = EXISTS_TERM.matcher(term);
        if (m.matches()) {
            return new Exists(m.group(2), !m.group(1).isEmpty());
        }
        throw invalid(term);
    }

    private static IllegalArgumentException invalid(String term) {
        return new IllegalArgumentException("invalid label selector term '" + term.strip() + "'");
    }

    /** True when the labels satisfy every requirement. */
    public boolean matches(Map<String, String> labels) {
        Map<String, String> l = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.test(l)) {
                return false;
            }
        }
        return true;
    }

    public boolean selectsEverything() {
        return requirements.isEmpty();
    }
}
