package io.warden.server.web;

/**
 * What an endpoint does, for the access decision. Every handler declares one with
 * {@link Requires}; a handler without one is refused (deny by default).
 */
public enum Verb {
    /** Reachable without an identity: health, version, the error page. */
    PUBLIC,
    GET,
    LIST,
    WATCH,
    APPLY,
    DELETE,
    /** Writing {@code status}: reserved to server-internal writers once identities exist. */
    WRITE_STATUS
}
