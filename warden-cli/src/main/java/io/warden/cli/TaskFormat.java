package io.warden.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * How tasks are shown to people: their table columns, the summary {@code run --wait} prints, and
 * the one line a task that did not succeed ends with.
 */
final class TaskFormat {

    /** The phases of docs/reference/tasks.md, as the API spells them. */
    static final List<String> PHASES = List.of("Pending", "AwaitingApproval", "Queued", "Running", "Succeeded", "Failed",
            "DeadLettered", "Cancelled", "Denied");

    static final String SUCCEEDED = "Succeeded";

    private static final int LABEL_WIDTH = "Exit code: ".length();

    private TaskFormat() {
    }

    static List<Columns.Column> columns(Instant now) {
        return List.of(
                new Columns.Column("ID", t -> Columns.orNone(Json.text(t, "id"))),
                new Columns.Column("TOOL", t -> Columns.orNone(Text.firstNonNull(Json.text(t, "tool"), Json.text(t, "agent")))),
                new Columns.Column("PHASE", t -> Columns.orNone(Json.text(t, "phase"))),
                new Columns.Column("ATTEMPT", TaskFormat::attempts),
                new Columns.Column("WORKER", t -> Columns.orNone(Json.text(t, "worker"))),
                new Columns.Column("AGE", t -> Age.since(Json.text(t, "createdAt"), now)));
    }

    /** Tasks as {@code -o} asks: a table, their ids, YAML documents, or {@code json} (the whole answer) as JSON. */
    static void print(Session session, List<? extends JsonNode> tasks, JsonNode json, OutputFormat format) {
        session.printer().items(columns(session.clock().instant()), tasks, t -> Text.cell(Json.text(t, "id")), json, format);
    }

    /** {@code 1/3}: attempts used of those allowed. */
    static String attempts(JsonNode task) {
        return task.path("attemptsUsed").asInt() + "/" + task.path("retry").path("maxAttempts").asInt();
    }

    /** The phase as the API spells it, from what a person typed in any case; null when it is none. */
    static String phase(String typed) {
        return PHASES.stream().filter(p -> p.equalsIgnoreCase(typed)).findFirst().orElse(null);
    }

    static boolean succeeded(JsonNode task) {
        return SUCCEEDED.equals(Json.text(task, "phase"));
    }

    /** {@code task 0f5c... Failed (error class exit-nonzero): exit code 3}: why a task did not succeed. */
    static String failure(JsonNode task) {
        StringBuilder sb = new StringBuilder("task ").append(Text.cell(Json.text(task, "id")))
                .append(' ').append(Text.cell(Text.firstNonNull(Json.text(task, "phase"), "?")));
        String errorClass = Json.text(task, "error", "errorClass");
        if (errorClass != null) {
            sb.append(" (error class ").append(Text.cell(errorClass)).append(')');
        }
        String message = Json.text(task, "error", "message");
        if (!Text.isBlank(message)) {
            sb.append(": ").append(Text.cell(message));
        }
        return sb.toString();
    }

    /** A finished task for people: what ran, how it ended, and what it printed. */
    static List<String> summary(JsonNode task) {
        List<String> lines = new ArrayList<>();
        field(lines, "Task", Json.text(task, "id"));
        field(lines, "Tool", Text.firstNonNull(Json.text(task, "tool"), Json.text(task, "agent")));
        field(lines, "Phase", Json.text(task, "phase"));
        field(lines, "Attempts", task.path("attemptsUsed").asInt() + " of " + task.path("retry").path("maxAttempts").asInt());
        field(lines, "Worker", Json.text(task, "worker"));
        field(lines, "Exit code", Json.scalar(task, "exitCode"));
        field(lines, "Duration", between(Json.text(task, "startedAt"), Json.text(task, "finishedAt")).map(TaskFormat::duration).orElse(null));
        String errorClass = Json.text(task, "error", "errorClass");
        if (errorClass != null) {
            String message = Json.text(task, "error", "message");
            field(lines, "Error", errorClass + (Text.isBlank(message) ? "" : ": " + message));
        }
        JsonNode result = task.path("result");
        if (result.has("result") && !result.get("result").isNull()) {
            field(lines, "Result", Json.compact(result.get("result")));
        }
        output(lines, "Stdout", result, "stdout");
        output(lines, "Stderr", result, "stderr");
        return lines;
    }

    /** {@code 0.4s}, {@code 12.0s}, {@code 3m4s}, {@code 2h5m}. */
    static String duration(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long s = millis / 1000;
        return s < 3600 ? s / 60 + "m" + s % 60 + "s" : s / 3600 + "h" + s % 3600 / 60 + "m";
    }

    private static Optional<Duration> between(String from, String to) {
        if (from == null || to == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.between(Instant.parse(from), Instant.parse(to)));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static void field(List<String> lines, String label, String value) {
        if (value != null) {
            lines.add(pad(label + ":") + Text.cell(value));
        }
    }

    /** The captured stream, indented under its label; nothing when it is empty. */
    private static void output(List<String> lines, String label, JsonNode result, String stream) {
        String text = Json.text(result, stream);
        if (Text.isBlank(text)) {
            return;
        }
        lines.add(label + ":");
        Text.output(text).lines().forEach(line -> lines.add("  " + line));
        if (result.path(stream + "Truncated").asBoolean(false)) {
            lines.add("  ... (truncated)");
        }
    }

    private static String pad(String label) {
        return label + " ".repeat(Math.max(1, LABEL_WIDTH - label.length()));
    }
}
