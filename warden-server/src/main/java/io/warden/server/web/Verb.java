package io.warden.server.web;

import java.util.Locale;

/**
 * What an endpoint does, for the access decision. Every handler declares one with
 * {@link Requires}; a handler without one is refused (deny by default). The lower-case name is
 * what Role rules list ({@code verbs: [get, list]}).
 */
public enum Verb {
    /** Reachable without an identity: health, version, setup, login, the error page. */
    PUBLIC,
    /** Any authenticated caller, about itself: whoami, logout, its own password and tokens. */
    SELF,
    GET,
    LIST,
    WATCH,
    /** Create or update from a manifest: needs both {@code create} and {@code update}. */
    APPLY,
    CREATE,
    UPDATE,
    DELETE,
    /** Writing {@code status}: server-internal writers (admins until workers exist). */
    WRITE_STATUS,
    /** Submitting work: a task ({@code submit} in Role rules). */
    SUBMIT,
    /** The worker protocol (claim, heartbeat, report): a Worker's own credential only. */
    WORKER;

    public String ruleName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
