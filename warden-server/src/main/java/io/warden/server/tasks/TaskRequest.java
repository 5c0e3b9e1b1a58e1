package io.warden.server.tasks;

import io.warden.api.FieldError;
import io.warden.api.Names;
import io.warden.server.WardenProperties;
import io.warden.server.web.ApiProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A submission, checked field by field (every problem reported at once, 422):
 * <pre>
 * {"tool": "echo", "args": {...},                    the job form (this issue)
 *  "priority": 0, "deadline": "2026-11-23T10:00:00Z",
 *  "retry": {"maxAttempts": 3, "backoffSeconds": 1, "maxBackoffSeconds": 300, "nonRetryable": ["exit-nonzero"]},
 *  "selector": {"gpu": "true"}, "labels": {"team": "core"}}
 * </pre>
 * The agent form ({@code {"agent", "input"}}) is recognised and refused until agent runs exist.
 */
record TaskRequest(String tool, JsonNode args, int priority, Long deadline, int maxAttempts, long backoffMs,
        long maxBackoffMs, List<String> nonRetryable, Map<String, String> selector, Map<String, String> labels) {

    private static final Set<String> FIELDS = Set.of("tool", "args", "agent", "input", "priority", "deadline", "retry",
            "selector", "labels");
    private static final Set<String> RETRY_FIELDS = Set.of("maxAttempts", "backoffSeconds", "maxBackoffSeconds", "nonRetryable");
    private static final String ERROR_CLASS = "[a-z0-9][a-z0-9._-]{0,63}";

    static TaskRequest parse(JsonNode body, WardenProperties.Tasks defaults) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ApiProblem.invalid("Invalid task", List.of(new FieldError("(root)", "must be a JSON object")));
        }
        body.propertyNames().forEach(name -> {
            if (!FIELDS.contains(name)) {
                errors.add(new FieldError(name, "is not a known field"));
            }
        });
        if (body.has("agent") || body.has("input")) {
            errors.add(new FieldError("agent", "agent runs are not available yet; submit a tool call ({\"tool\", \"args\"})"));
        }
        String tool = body.path("tool").asString(null);
        if (tool == null || !body.path("tool").isString() || !Names.isDns1123Label(tool)) {
            errors.add(new FieldError("tool", "is required: the name of a Tool in this namespace"));
        }
        JsonNode args = body.has("args") ? body.get("args") : JsonNodeFactory.instance.objectNode();
        if (!args.isObject()) {
            errors.add(new FieldError("args", "must be a JSON object"));
        }
        int priority = integer(body, "priority", 0, -1000, 1000, errors);
        Long deadline = null;
        if (body.has("deadline") && !body.get("deadline").isNull()) {
            try {
                deadline = Instant.parse(body.get("deadline").asString("")).toEpochMilli();
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("deadline", "must be an RFC 3339 time such as 2026-11-23T10:00:00Z"));
            }
        }
        JsonNode retry = body.path("retry");
        if (!retry.isMissingNode() && !retry.isObject()) {
            errors.add(new FieldError("retry", "must be an object"));
        }
        retry.propertyNames().forEach(name -> {
            if (!RETRY_FIELDS.contains(name)) {
                errors.add(new FieldError("retry." + name, "is not a known field"));
            }
        });
        int maxAttempts = integer(retry, "maxAttempts", defaults.defaultMaxAttempts(), 1, 100, errors);
        long backoffMs = seconds(retry, "backoffSeconds", defaults.defaultBackoff().toMillis(), errors);
        long maxBackoffMs = seconds(retry, "maxBackoffSeconds", defaults.defaultMaxBackoff().toMillis(), errors);
        if (maxBackoffMs < backoffMs) {
            errors.add(new FieldError("retry.maxBackoffSeconds", "must not be below retry.backoffSeconds"));
        }
        List<String> nonRetryable = new ArrayList<>();
        JsonNode nr = retry.path("nonRetryable");
        if (!nr.isMissingNode()) {
            if (!nr.isArray() || nr.size() > 32) {
                errors.add(new FieldError("retry.nonRetryable", "must be a list of at most 32 error classes"));
            } else {
                for (JsonNode n : nr) {
                    if (!n.isString() || !n.asString().matches(ERROR_CLASS)) {
                        errors.add(new FieldError("retry.nonRetryable", "error classes are 1-64 of a-z, 0-9, '.', '_', '-'"));
                    } else {
                        nonRetryable.add(n.asString());
                    }
                }
            }
        }
        Map<String, String> selector = labels(body, "selector", errors);
        Map<String, String> labels = labels(body, "labels", errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid("Invalid task", errors);
        }
        return new TaskRequest(tool, args, priority, deadline, maxAttempts, backoffMs, maxBackoffMs, List.copyOf(nonRetryable),
                selector, labels);
    }

    private static int integer(JsonNode node, String field, int dflt, int min, int max, List<FieldError> errors) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            errors.add(new FieldError(node == v ? field : prefix(node, field), "must be an integer from " + min + " to " + max));
            return dflt;
        }
        return v.asInt();
    }

    private static String prefix(JsonNode node, String field) {
        return field.equals("priority") ? field : "retry." + field;
    }

    private static long seconds(JsonNode node, String field, long dfltMs, List<FieldError> errors) {
        JsonNode v = node.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return dfltMs;
        }
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 86_400) {
            errors.add(new FieldError("retry." + field, "must be a number of seconds from 0 to 86400"));
            return dfltMs;
        }
        return Math.round(v.asDouble() * 1000);
    }

    private static Map<String, String> labels(JsonNode body, String field, List<FieldError> errors) {
        JsonNode v = body.path(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v.isMissingNode() || v.isNull()) {
            return out;
        }
        if (!v.isObject() || v.size() > 64) {
            errors.add(new FieldError(field, "must be an object of at most 64 string labels"));
            return out;
        }
        for (var e : v.properties()) {
            if (!e.getValue().isString() || e.getKey().length() > 253 || e.getValue().asString().length() > 63) {
                errors.add(new FieldError(field + "." + e.getKey(), "must be a string of at most 63 characters"));
            } else {
                out.put(e.getKey(), e.getValue().asString());
            }
        }
        return out;
    }

    /** The body with object keys sorted at every level: equal requests have equal text whatever their key order. */
    static String canonical(JsonNode body, JsonMapper json) {
        return json.writeValueAsString(sorted(body));
    }

    private static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            n.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            fields.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            var a = JsonNodeFactory.instance.arrayNode();
            n.forEach(x -> a.add(sorted(x)));
            return a;
        }
        return n;
    }
}
