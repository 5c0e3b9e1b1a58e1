package io.warden.server.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.ErrorResponse;

/** Maps every exception a handler can raise to problem+json; internals stay in the log. */
@RestControllerAdvice
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final MediaType PROBLEM = MediaType.parseMediaType(Problems.MEDIA_TYPE);

    private final Problems problems;

    ApiExceptionHandler(Problems problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (e.retryAfterSeconds() >= 0) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        }
        return respond(problems.of(e, request), headers);
    }

    @ExceptionHandler(BodyLimitFilter.BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(BodyLimitFilter.BodyTooLargeException e, HttpServletRequest request) {
        return respond(problems.of(BodyLimitFilter.tooLarge(limitOf(request)), request), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
                return tooLarge(tooLarge, request);
            }
        }
        return respond(problems.of(ApiProblem.badRequest("the request body could not be read"), request),
                HttpHeaders.EMPTY);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return respond(problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                "Unsupported media type", "send the body as application/json in UTF-8", request), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        Set<HttpMethod> allowed = e.getSupportedHttpMethods();
        if (allowed != null) {
            headers.setAllow(allowed);
        }
        String detail = allowed == null ? null
                : "allowed: " + allowed.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        return respond(problems.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                detail, request), headers);
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<ProblemDetail> noRoute(Exception e, HttpServletRequest request) {
        return respond(problems.of(ApiProblem.notFound("no such endpoint"), request), HttpHeaders.EMPTY);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<ProblemDetail> badParameter(Exception e, HttpServletRequest request) {
        String name = e instanceof MissingServletRequestParameterException m ? m.getParameterName()
                : ((MethodArgumentTypeMismatchException) e).getName();
        return respond(problems.of(ApiProblem.badRequest("invalid or missing parameter '" + name + "'"), request),
                HttpHeaders.EMPTY);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class,
            TransientDataAccessException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e, HttpServletRequest request) {
        log.error("database unavailable", e);
        return respond(problems.of(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
                "the database is not available; try again", request), HttpHeaders.EMPTY);
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> database(DataAccessException e, HttpServletRequest request) {
        log.error("database error", e);
        return internal(request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        // Any other framework refusal keeps its 4xx status; its message (which may echo input) is dropped.
        if (e instanceof ErrorResponse framework) {
            HttpStatus status = HttpStatus.resolve(framework.getStatusCode().value());
            if (status != null && status.is4xxClientError()) {
                return respond(problems.of(status, "http-" + status.value(), status.getReasonPhrase(), null, request),
                        HttpHeaders.EMPTY);
            }
        }
        log.error("unexpected error", e);
        return internal(request);
    }

    private ResponseEntity<ProblemDetail> internal(HttpServletRequest request) {
        return respond(problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "something went wrong on the server; the request id identifies it in the logs", request),
                HttpHeaders.EMPTY);
    }

    private static long limitOf(HttpServletRequest request) {
        Object limit = request.getAttribute(BodyLimitFilter.LIMIT_ATTRIBUTE);
        return limit instanceof Long l ? l : -1;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail body, HttpHeaders headers) {
        return ResponseEntity.status(body.getStatus()).headers(headers).contentType(PROBLEM).body(body);
    }
}
