package io.warden.server.web;

/**
 * The single access decision point of the API: every handler's declared {@link Verb} is
 * decided here, deny by default.
 */
public interface AccessPolicy {

    Decision decide(AccessRequest request);

    sealed interface Decision {
    }

    record Allow() implements Decision {
    }

    /** No identity: 401. */
    record Unauthenticated() implements Decision {
    }

    /** Refused; {@code hide} answers 404 instead of 403 so a namespace's existence does not leak. */
    record Deny(String reason, boolean hide) implements Decision {
    }
}
