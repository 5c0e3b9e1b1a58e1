package io.warden.server.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors raised outside Spring MVC (by the servlet container or a filter) arrive here and get
 * the same problem+json shape as everything else, with no exception text.
 */
@RestController
class ProblemErrorController implements ErrorController {

    private final Problems problems;

    ProblemErrorController(Problems problems) {
        this.problems = problems;
    }

    @Requires(Verb.PUBLIC)
    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        RequestIds.ensure(request, response);
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null
                ? HttpStatus.valueOf(i) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (path instanceof String p) {
            request.setAttribute(RequestIds.ORIGINAL_PATH, p);
        }
        String type = status.is5xxServerError() ? "internal" : "http-" + status.value();
        ProblemDetail body = problems.of(status, type, status.getReasonPhrase(), null, request);
        return ResponseEntity.status(status).contentType(MediaType.parseMediaType(Problems.MEDIA_TYPE)).body(body);
    }
}
