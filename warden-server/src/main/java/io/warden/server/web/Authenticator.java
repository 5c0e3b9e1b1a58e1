package io.warden.server.web;

import jakarta.servlet.http.HttpServletRequest;

/** Turns a request's credentials into a {@link Caller}; implemented by the identity feature. */
public interface Authenticator {

    /**
     * The caller, or {@link Caller#ANONYMOUS} when the request carries no credential.
     *
     * @throws ApiProblem 401 when it carries one that is invalid, expired or revoked
     */
    Caller authenticate(HttpServletRequest request);

    /** Name of the session cookie (depends on TLS); the CSRF check applies to it. */
    String sessionCookieName();
}
