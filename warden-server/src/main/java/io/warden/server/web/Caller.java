package io.warden.server.web;

/**
 * Who is making a request, as the authentication filter established it: a user (through a
 * session or a personal token), a scoped API token, or nobody.
 */
public record Caller(String username, String userId, Credential credential) {

    public static final Caller ANONYMOUS = new Caller(null, null, new Credential.None());

    /** How the caller proved who it is. */
    public sealed interface Credential {
        record None() implements Credential {
        }

        /**
         * A console session; {@code idHash} is the stored SHA-256 of the cookie value and
         * {@code csrfToken} the value state-changing requests must echo (derived from the session
         * secret, so a planted cookie pair cannot forge it).
         */
        record Session(String idHash, String csrfToken) implements Credential {
        }

        /** An API token acting as its owner with all the owner's bindings. */
        record PersonalToken(String id, String name) implements Credential {
        }

        /** An API token limited to one role, in one namespace or (namespace null) cluster-wide. */
        record ScopedToken(String id, String name, String role, String namespace) implements Credential {
        }

        /**
         * The credential of a Worker resource: it may call the worker routes ({@code Verb.WORKER})
         * for tasks of its own namespace, and nothing else.
         */
        record WorkerToken(String id, String namespace, String worker) implements Credential {
        }
    }

    public boolean authenticated() {
        return !(credential instanceof Credential.None);
    }

    /**
     * Which credential, for the audit ledger's {@code actorVia}: {@code token:<id>},
     * {@code worker-credential:<id>}, {@code session:<first 16 hex of the session's stored hash>}
     * (enough to find it, nothing that opens it), or {@code none}.
     */
    public String credentialRef() {
        return switch (credential) {
            case Credential.None n -> "none";
            case Credential.Session s -> "session:" + s.idHash().substring(0, Math.min(16, s.idHash().length()));
            case Credential.PersonalToken t -> "token:" + t.id();
            case Credential.ScopedToken t -> "token:" + t.id();
            case Credential.WorkerToken w -> "worker-credential:" + w.id();
        };
    }

    /** {@code session} or {@code token}, for logs and whoami. */
    public String via() {
        return switch (credential) {
            case Credential.None n -> "none";
            case Credential.Session s -> "session";
            case Credential.PersonalToken t -> "token";
            case Credential.ScopedToken t -> "token";
            case Credential.WorkerToken w -> "worker-credential";
        };
    }
}
