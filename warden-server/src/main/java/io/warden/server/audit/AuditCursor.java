package io.warden.server.audit;

import io.warden.api.Names;
import io.warden.server.web.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opaque audit paging tokens. An event cursor is a position per chain ({@code chain:seq,...}):
 * event times never go backwards within a chain, so "after these seqs" misses nothing however
 * replicas interleave their commits. A checkpoint cursor is one (chain, seq).
 */
final class AuditCursor {

    private static final String EVENTS = "a1:";
    private static final String CHECKPOINTS = "c1:";

    record Position(String chain, long seq) {
    }

    private AuditCursor() {
    }

    static String encode(Map<String, Long> positions) {
        StringBuilder s = new StringBuilder(EVENTS);
        positions.forEach((chain, seq) -> s.append(s.length() > EVENTS.length() ? "," : "").append(chain).append(':').append(seq));
        return base64(s.toString());
    }

    static Map<String, Long> decode(String token) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (token == null || token.isEmpty()) {
            return out;
        }
        String s = unbase64(token, EVENTS);
        if (!s.isEmpty()) {
            for (String entry : s.split(",", -1)) {
                Position p = position(entry);
                out.put(p.chain(), p.seq());
            }
        }
        return out;
    }

    static String encodePosition(String chain, long seq) {
        return base64(CHECKPOINTS + chain + ":" + seq);
    }

    /** ("", 0) for the first page. */
    static Position decodePosition(String token) {
        if (token == null || token.isEmpty()) {
            return new Position("", 0);
        }
        return position(unbase64(token, CHECKPOINTS));
    }

    private static Position position(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon >= 0) {
            String chain = entry.substring(0, colon);
            try {
                long seq = Long.parseLong(entry.substring(colon + 1));
                if (seq >= 0 && (chain.isEmpty() || Names.isDns1123Label(chain))) {
                    return new Position(chain, seq);
                }
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw invalid();
    }

    private static String base64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(String token, String prefix) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(prefix)) {
                return s.substring(prefix.length());
            }
        } catch (IllegalArgumentException e) {
            // fall through: one answer for every malformed token
        }
        throw invalid();
    }

    private static ApiProblem invalid() {
        return ApiProblem.badRequest("invalid continue token");
    }
}
