package io.warden.server.tasks;

import io.warden.server.web.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/** Opaque paging token of the task list: the (created, id) of the last task of a page. */
final class TaskCursor {

    private static final String PREFIX = "t1:";

    record Position(long createdAt, String id) {
    }

    private TaskCursor() {
    }

    static String encode(long createdAt, String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + createdAt + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** Null for the first page. */
    static Position decode(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(PREFIX)) {
                String[] parts = s.substring(PREFIX.length()).split(":", 2);
                return new Position(Long.parseLong(parts[0]), UUID.fromString(parts[1]).toString());
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            // fall through: one answer for every malformed token
        }
        throw ApiProblem.badRequest("invalid continue token");
    }
}
