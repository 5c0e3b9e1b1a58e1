package io.warden.server.resources;

import io.warden.api.Names;
import io.warden.server.web.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque paging token: the last name of the previous page. */
final class ContinueToken {

    private static final String PREFIX = "n1:";

    private ContinueToken() {
    }

    static String encode(String lastName) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastName).getBytes(StandardCharsets.UTF_8));
    }

    /** The name to continue after; "" for the first page. */
    static String decode(String token) {
        if (token == null || token.isEmpty()) {
            return "";
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (s.startsWith(PREFIX) && Names.isDns1123Label(s.substring(PREFIX.length()))) {
                return s.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // fall through: same answer for every malformed token
        }
        throw ApiProblem.badRequest("invalid continue token");
    }
}
