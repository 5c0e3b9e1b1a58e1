package io.warden.worker;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker's log: one JSON object per line on stderr ({@code time}, {@code level},
 * {@code message} and fields). Kept to a few lines rather than a logging framework because the
 * worker is a small, dependency-light process; callers pass task ids, error classes and counts,
 * never args, output or the credential.
 */
final class JsonLog {

    private final PrintStream out;
    private final Clock clock;
    private final JsonMapper json;

    JsonLog(PrintStream out, Clock clock, JsonMapper json) {
        this.out = out;
        this.clock = clock;
        this.json = json;
    }

    void info(String message, Object... fields) {
        write("INFO", message, fields);
    }

    void warn(String message, Object... fields) {
        write("WARN", message, fields);
    }

    void error(String message, Object... fields) {
        write("ERROR", message, fields);
    }

    private void write(String level, String message, Object... fields) {
        ObjectNode line = json.createObjectNode();
        line.put("time", clock.instant().toString());
        line.put("level", level);
        line.put("logger", "warden.worker");
        line.put("message", message);
        for (int i = 0; i + 1 < fields.length; i += 2) {
            Object v = fields[i + 1];
            if (v instanceof Number n) {
                line.put(String.valueOf(fields[i]), n.longValue());
            } else if (v instanceof Map<?, ?> m) {
                line.set(String.valueOf(fields[i]), json.valueToTree(m));
            } else {
                line.put(String.valueOf(fields[i]), String.valueOf(v));
            }
        }
        String text = json.writeValueAsString(line);
        synchronized (out) {
            out.println(text);
        }
    }
}
