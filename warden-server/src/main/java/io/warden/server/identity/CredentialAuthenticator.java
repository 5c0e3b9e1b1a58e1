package io.warden.server.identity;

import io.warden.server.WardenProperties;
import io.warden.server.web.Authenticator;
import io.warden.server.web.Caller;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Component;

/** Bearer token first, else the session cookie, else anonymous. */
@Component
class CredentialAuthenticator implements Authenticator {

    private final Credentials credentials;
    private final String cookieName;

    CredentialAuthenticator(Credentials credentials, WardenProperties props) {
        this.credentials = credentials;
        this.cookieName = props.tls().enabled() ? "__Host-warden_session" : "warden_session";
    }

    @Override
    public Caller authenticate(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw Credentials.invalid();
            }
            return credentials.tokenCaller(authorization.substring(7).strip());
        }
        if (request.getCookies() != null) {
            for (Cookie c : request.getCookies()) {
                if (cookieName.equals(c.getName()) && !c.getValue().isEmpty()) {
                    return credentials.sessionCaller(c.getValue());
                }
            }
        }
        return Caller.ANONYMOUS;
    }

    @Override
    public String sessionCookieName() {
        return cookieName;
    }
}
