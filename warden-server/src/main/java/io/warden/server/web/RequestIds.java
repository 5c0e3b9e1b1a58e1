package io.warden.server.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.regex.Pattern;

/** The request id scheme: accepted from the client when well-formed, otherwise generated. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    static final String ATTRIBUTE = RequestIds.class.getName() + ".id";
    static final String ORIGINAL_PATH = RequestIds.class.getName() + ".path";

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private RequestIds() {
    }

    static boolean isWellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }

    /**
     * Gives the request its id if it has none yet (taken from a well-formed header, else new) and
     * puts it on the response; returns it.
     */
    static String ensure(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        Object existing = request.getAttribute(ATTRIBUTE);
        if (existing != null) {
            return existing.toString();
        }
        String given = request.getHeader(HEADER);
        String id = isWellFormed(given) ? given : java.util.UUID.randomUUID().toString();
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(HEADER, id);
        return id;
    }

    /** The id of the request being served (set by the first filter). */
    public static String of(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        return id == null ? "unknown" : id.toString();
    }
}
