package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** How tasks, workers and key=value lists are printed, and the helpers behind it. */
class TaskFormatTest {

    private static final String TASK = """
            {"id": "0f5c", "namespace": "demo", "tool": "echo", "phase": "Succeeded",
             "retry": {"maxAttempts": 3}, "attempt": 2, "attemptsUsed": 2, "worker": "build-1", "exitCode": 0,
             "result": {"exitCode": 0, "stdout": "hi\\n\\u001b[31mthere\\n", "stderr": "", "stdoutTruncated": true,
                        "stderrTruncated": false, "result": {"ok": true}},
             "error": null, "createdAt": "2026-01-01T00:00:00Z", "startedAt": "2026-01-01T00:00:01Z",
             "finishedAt": "2026-01-01T00:00:02.250Z"}""";

    private static JsonNode json(String text) {
        return Json.JSON.readTree(text);
    }

    @Test
    void aFinishedTaskIsSummarised() {
        assertThat(TaskFormat.summary(json(TASK))).containsExactly(
                "Task:      0f5c",
                "Tool:      echo",
                "Phase:     Succeeded",
                "Attempts:  2 of 3",
                "Worker:    build-1",
                "Exit code: 0",
                "Duration:  1.3s",
                "Result:    {\"ok\":true}",
                "Stdout:",
                "  hi",
                "  [31mthere",
                "  ... (truncated)");
    }

    @Test
    void aTaskThatDidNotSucceedIsOneLine() {
        JsonNode failed = json("""
                {"id": "0f5c", "phase": "DeadLettered", "error": {"errorClass": "exit-nonzero", "message": "exit code 3\\nand more"}}""");

        assertThat(TaskFormat.failure(failed)).isEqualTo("task 0f5c DeadLettered (error class exit-nonzero): exit code 3 and more");
        assertThat(TaskFormat.failure(json("{\"id\": \"x\", \"phase\": \"Cancelled\"}"))).isEqualTo("task x Cancelled");
        assertThat(TaskFormat.succeeded(json(TASK))).isTrue();
        assertThat(TaskFormat.succeeded(failed)).isFalse();
    }

    @Test
    void tasksAreTableRows() {
        List<Columns.Column> columns = TaskFormat.columns(Instant.parse("2026-01-01T00:05:00Z"));

        assertThat(Columns.headers(columns)).containsExactly("ID", "TOOL", "PHASE", "ATTEMPT", "WORKER", "AGE");
        assertThat(Columns.cells(columns, json(TASK))).containsExactly("0f5c", "echo", "Succeeded", "2/3", "build-1", "5m");
        assertThat(Columns.cells(columns, json("{\"id\": \"q\", \"tool\": \"echo\", \"phase\": \"Queued\", \"attemptsUsed\": 0,"
                + " \"retry\": {\"maxAttempts\": 1}, \"worker\": null}")))
                .containsExactly("q", "echo", "Queued", "0/1", "<none>", "<unknown>");
    }

    @Test
    void durations() {
        assertThat(TaskFormat.duration(Duration.ofMillis(40))).isEqualTo("0.0s");
        assertThat(TaskFormat.duration(Duration.ofMillis(59_940))).isEqualTo("59.9s");
        assertThat(TaskFormat.duration(Duration.ofSeconds(184))).isEqualTo("3m4s");
        assertThat(TaskFormat.duration(Duration.ofMinutes(125))).isEqualTo("2h5m");
    }

    @Test
    void toolOutputKeepsTabsAndNewlinesButNoEscapes() {
        assertThat(Text.output("a\tb\r\n\u001b[2Jc\u0007\n")).isEqualTo("a\tb\n[2Jc\n");
    }

    @Test
    void keyValueLists() {
        assertThat(KeyValues.parse("--labels", List.of("b=2, a = 1", "c=", "d=x=y")))
                .containsExactly(Map.entry("b", "2"), Map.entry("a", "1"), Map.entry("c", ""), Map.entry("d", "x=y"));
        assertThat(KeyValues.format(json("{\"zone\": \"eu\", \"gpu\": \"true\"}"))).isEqualTo("gpu=true,zone=eu");
        assertThat(KeyValues.format(json("{}"))).isEmpty();
        assertThat(KeyValues.format(json("{}").path("missing"))).isEmpty();
    }

    @Test
    void workersShowLabelsAndConcurrency() {
        List<Columns.Column> columns = Columns.forKind(io.warden.api.Kinds.WORKER, Instant.parse("2026-01-01T01:00:00Z"));
        JsonNode worker = json("""
                {"metadata": {"name": "build-1", "labels": {"gpu": "true"}, "creationTimestamp": "2026-01-01T00:00:00Z"},
                 "spec": {"concurrency": 8}}""");

        assertThat(Columns.headers(columns)).containsExactly("NAME", "LABELS", "CONCURRENCY", "AGE");
        assertThat(Columns.cells(columns, worker)).containsExactly("build-1", "gpu=true", "8", "1h");
        assertThat(Columns.cells(columns, json("{\"metadata\": {\"name\": \"plain\"}, \"spec\": {}}")))
                .containsExactly("plain", "<none>", "4", "<unknown>");
    }

    @Test
    void theDefaultConcurrencyIsTheSchemas() throws Exception {
        try (InputStream schema = io.warden.api.Kinds.class.getResourceAsStream("/io/warden/api/schema/worker.spec.json")) {
            assertThat(schema).isNotNull();
            assertThat(Json.JSON.readTree(schema).path("properties").path("concurrency").path("default").asInt())
                    .isEqualTo(Columns.DEFAULT_WORKER_CONCURRENCY);
        }
    }
}
