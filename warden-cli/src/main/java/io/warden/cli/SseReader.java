package io.warden.cli;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reads {@code text/event-stream} (the WHATWG server-sent events format): {@code field: value}
 * lines, a blank line ends an event, lines starting with {@code :} are comments (keep-alives).
 * Only {@code id}, {@code event} and {@code data} are used; other fields are ignored.
 */
final class SseReader {

    /**
     * One dispatched event. {@code id} is null when the event carried none; {@code data} is null
     * for a block with only an id (which still moves the last event id, as the format says).
     */
    record Event(String id, String type, String data) {
    }

    private final BufferedReader in;
    private boolean first = true;

    SseReader(BufferedReader in) {
        this.in = in;
    }

    /** The next event, or null at the end of the stream. An event cut off by the end is dropped. */
    Event next() throws IOException {
        String id = null;
        String type = null;
        StringBuilder data = null;
        boolean any = false;
        String line;
        while ((line = in.readLine()) != null) {
            if (first) {
                first = false;
                if (line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
            }
            if (line.isEmpty()) {
                if (any) {
                    return new Event(id, type, data == null ? null : data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        id = value;
                        any = true;
                    }
                }
                case "event" -> type = value;
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                    any = true;
                }
                default -> {
                    // retry and unknown fields: not used by Warden
                }
            }
        }
        return null;
    }
}
