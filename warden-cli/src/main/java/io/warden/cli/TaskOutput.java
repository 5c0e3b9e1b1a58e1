package io.warden.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Prints what a task's tool wrote, from its events: {@code stdout} events to stdout, {@code stderr}
 * events to stderr, each as the worker streamed it. When a later attempt writes after an earlier
 * one did, a line {@code --- attempt N ---} on stderr tells them apart. Phase changes go to the
 * {@code --verbose} log.
 */
final class TaskOutput implements Consumer<JsonNode> {

    private final Session session;
    private int attempt = -1;

    TaskOutput(Session session) {
        this.session = session;
    }

    @Override
    public void accept(JsonNode event) {
        String type = Text.firstNonNull(Json.text(event, "type"), "");
        PrintWriter stream = switch (type) {
            case "stdout" -> session.out();
            case "stderr" -> session.err();
            default -> null;
        };
        if (stream == null) {
            logPhase(session, event);
            return;
        }
        String text = Json.text(event, "data", "text");
        if (text == null) {
            return;
        }
        int of = event.path("attempt").asInt();
        if (attempt != -1 && of != attempt) {
            session.out().flush();
            session.err().println("--- attempt " + of + " ---");
            session.err().flush();
        }
        attempt = of;
        stream.print(Text.output(text));
        stream.flush();
    }

    /** Logs a phase change ({@code -v}); other events are not the tool's output. */
    static void logPhase(Session session, JsonNode event) {
        if ("phase".equals(Json.text(event, "type"))) {
            String reason = Json.text(event, "data", "reason");
            session.log().accept("task " + Text.cell(Json.text(event, "data", "phase")) + " (attempt " + event.path("attempt").asInt()
                    + (reason == null ? "" : ", " + Text.cell(reason)) + ")");
        }
    }
}
