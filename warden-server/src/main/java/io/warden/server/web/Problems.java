package io.warden.server.web;

import io.warden.api.FieldError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place HTTP errors are shaped: RFC 9457 problem+json with the request id, and field
 * errors when there are some. Used by the exception handler, the error controller and filters.
 */
@Component
public final class Problems {

    public static final String TYPE_PREFIX = "https://warden.dev/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";

    private final JsonMapper json;

    Problems(JsonMapper json) {
        this.json = json;
    }

    public ProblemDetail of(ApiProblem p, HttpServletRequest request) {
        return of(p.status(), p.type(), p.title(), p.getMessage(), p.errors(), request);
    }

    public ProblemDetail of(HttpStatus status, String type, String title, String detail, HttpServletRequest request) {
        return of(status, type, title, detail, List.of(), request);
    }

    ProblemDetail of(HttpStatus status, String type, String title, String detail, List<FieldError> errors,
            HttpServletRequest request) {
        ProblemDetail pd = ProblemDetail.forStatus(status);
        pd.setType(URI.create(TYPE_PREFIX + type));
        pd.setTitle(title);
        if (detail != null) {
            pd.setDetail(detail);
        }
        String path = (String) request.getAttribute(RequestIds.ORIGINAL_PATH);
        pd.setInstance(safeUri(path != null ? path : request.getRequestURI()));
        pd.setProperty("requestId", RequestIds.of(request));
        if (!errors.isEmpty()) {
            pd.setProperty("errors", errors);
        }
        return pd;
    }

    private static URI safeUri(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Writes a problem directly, for code that runs outside Spring MVC (filters). */
    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.resetBuffer();
        response.setStatus(problem.getStatus());
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json.writeValueAsBytes(problem));
        response.flushBuffer();
    }
}
