package io.warden.cli;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * An RFC 9457 problem as the Warden API sends it. Built leniently: a proxy in front of the server
 * may answer with HTML or nothing at all, and the user still deserves a readable line.
 */
record Problem(String title, int status, String detail, String requestId, List<FieldError> errors) {

    /** One invalid field: {@code spec.timeoutSeconds: must be an integer}. */
    record FieldError(String path, String message) {
    }

    Problem {
        errors = List.copyOf(errors);
    }

    static Problem from(int status, HttpHeaders headers, byte[] body) {
        String headerRequestId = headers.firstValue("X-Request-Id").orElse(null);
        JsonNode json = parse(body);
        if (json == null || !json.isObject()) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            String detail = text.isEmpty() || text.startsWith("<") ? null : abbreviate(text);
            return new Problem("HTTP " + status, status, detail, headerRequestId, List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode e : json.path("errors")) {
            String message = Json.text(e, "message");
            if (message != null) {
                errors.add(new FieldError(Json.text(e, "path"), message));
            }
        }
        String title = Json.text(json, "title");
        return new Problem(
                title == null ? "HTTP " + status : title,
                status,
                Json.text(json, "detail"),
                Text.firstNonNull(Json.text(json, "requestId"), headerRequestId),
                errors);
    }

    /** {@code Invalid manifest: 2 fields are invalid (request id 9f1c)}. */
    String summary() {
        StringBuilder sb = new StringBuilder(title);
        if (detail != null && !detail.isBlank() && !detail.equals(title)) {
            sb.append(": ").append(detail);
        }
        if (requestId != null) {
            sb.append(" (request id ").append(requestId).append(')');
        }
        return Text.clean(sb.toString()).replace('\n', ' ');
    }

    /** The summary prefixed with {@code prefix}, then one indented line per invalid field. */
    List<String> lines(String prefix) {
        List<String> lines = new ArrayList<>();
        lines.add(prefix + summary());
        for (FieldError e : errors) {
            String path = e.path() == null || e.path().isBlank() ? "(document)" : e.path();
            lines.add("  " + Text.cell(path) + ": " + Text.cell(e.message()));
        }
        return lines;
    }

    private static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return Json.JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
