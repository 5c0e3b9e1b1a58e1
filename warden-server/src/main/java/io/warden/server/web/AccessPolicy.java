package io.warden.server.web;

/**
 * The single access decision point of the API. The identity issue replaces the interim
 * implementation with role bindings; the pipeline around it stays as it is.
 */
public interface AccessPolicy {

    Decision decide(AccessRequest request);

    sealed interface Decision {
    }

    record Allow() implements Decision {
    }

    /** Refused; {@code hide} answers 404 instead of 403 so a namespace's existence does not leak. */
    record Deny(String reason, boolean hide) implements Decision {
    }
}
