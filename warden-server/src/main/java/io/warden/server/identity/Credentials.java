package io.warden.server.identity;

import io.warden.core.crypto.Tokens;
import io.warden.server.WardenProperties;
import io.warden.server.resources.Resources;
import io.warden.server.web.ApiProblem;
import io.warden.core.audit.AuditRecord;
import io.warden.server.web.Caller;
import io.warden.server.web.RequestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sessions and API tokens: issued once in the clear, stored as SHA-256, resolved back to a
 * {@link Caller}. Any invalid, expired or revoked credential gets the same 401.
 */
@Service
class Credentials {

    static final String TOKEN_PREFIX = "wdn_";
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final Pattern TTL = Pattern.compile("([1-9][0-9]{0,6})([mhd])");
    private static final Pattern TOKEN_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    record NewSession(String cookieValue, String csrfToken, Instant expiresAt) {
    }

    record IssuedToken(String token, ApiToken stored) {
    }

    private final CredentialStore store;
    private final Accounts accounts;
    private final TransactionTemplate tx;
    private final WardenProperties.Identity settings;

    private final IdentityEvents events;

    private final WorkerCredentials workers;
    private final Resources resources;

    Credentials(CredentialStore store, Accounts accounts, TransactionTemplate tx, WardenProperties props,
            IdentityEvents events, WorkerCredentials workers, Resources resources) {
        this.resources = resources;
        this.events = events;
        this.workers = workers;
        this.store = store;
        this.accounts = accounts;
        this.tx = tx;
        this.settings = props.identity();
    }

    NewSession openSession(User user) {
        String raw = Tokens.newToken("");
        Instant now = accounts.now();
        Instant expires = now.plus(settings.sessionAbsoluteTimeout());
        store.insertSession(new CredentialStore.SessionRow(Tokens.sha256Hex(raw), user.id(), now, now, expires));
        return new NewSession(raw, csrfToken(raw), expires);
    }

    /** The CSRF token of a session: a one-way function of its secret, so nobody without the secret can make it. */
    static String csrfToken(String rawSession) {
        return Tokens.sha256Hex("warden-csrf:" + rawSession);
    }

    void closeSession(RequestContext ctx, String idHash) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            store.deleteSession(idHash);
            audited.add(events.stage(ctx, "auth.logout", "Session", null, "success", Map.of()));
        });
        events.settle(audited);
    }

    Caller sessionCaller(String raw) {
        String hash = Tokens.sha256Hex(raw);
        CredentialStore.SessionRow s = store.session(hash).orElseThrow(Credentials::invalid);
        Instant now = accounts.now();
        if (!now.isBefore(s.expiresAt()) || !now.isBefore(s.lastSeenAt().plus(settings.sessionIdleTimeout()))) {
            store.deleteSession(hash);
            throw invalid();
        }
        User user = accounts.byId(s.userId()).filter(u -> !u.disabled()).orElseThrow(Credentials::invalid);
        if (Duration.between(s.lastSeenAt(), now).compareTo(TOUCH_EVERY) >= 0) {
            store.touchSession(hash, now);
        }
        return new Caller(user.username(), user.id(), new Caller.Credential.Session(hash, csrfToken(raw)));
    }

    Caller tokenCaller(String raw) {
        if (raw.startsWith(WorkerCredentials.PREFIX)) {
            return workers.caller(raw);
        }
        if (!raw.startsWith(TOKEN_PREFIX) || raw.length() > 128) {
            throw invalid();
        }
        String hash = Tokens.sha256Hex(raw);
        ApiToken t = store.tokenByHash(hash, resources.versionSighting()).orElseThrow(Credentials::invalid);
        Instant now = accounts.now();
        if (!Tokens.constantTimeEquals(hash, t.tokenHash()) || t.revokedAt() != null || !now.isBefore(t.expiresAt())
                || t.ownerDisabled()) {
            throw invalid();
        }
        if (t.lastUsedAt() == null || Duration.between(t.lastUsedAt(), now).compareTo(TOUCH_EVERY) >= 0) {
            store.tokenUsed(t.id(), now);
        }
        Caller.Credential credential = t.personal()
                ? new Caller.Credential.PersonalToken(t.id(), t.name())
                : new Caller.Credential.ScopedToken(t.id(), t.name(), t.role(), t.namespace());
        return new Caller(t.ownerName(), t.ownerId(), credential);
    }

    /** Issues a token. The caller has already checked that the owner may grant this role here. */
    IssuedToken issue(RequestContext ctx, String ownerId, String ownerName, String name, boolean personal, String role,
            String namespace, String ttl) {
        Duration lifetime = parseTtl(ttl);
        String tokenName = name == null || name.isBlank()
                ? (personal ? "login-" : "token-") + ownerName + "-" + UUID.randomUUID().toString().substring(0, 8)
                : name;
        if (!TOKEN_NAME.matcher(tokenName).matches()) {
            throw ApiProblem.invalid("Invalid token", List.of(new io.warden.api.FieldError("name",
                    "1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")));
        }
        String raw = Tokens.newToken(TOKEN_PREFIX);
        Instant now = accounts.now();
        ApiToken stored = new ApiToken(UUID.randomUUID().toString(), Tokens.sha256Hex(raw), tokenName, ownerId, ownerName,
                personal, role, namespace, now, now.plus(lifetime), null, null, false);
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            if (store.tokenNameTaken(tokenName)) {
                throw ApiProblem.conflict("a token named '" + tokenName + "' already exists");
            }
            store.insertToken(stored);
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("owner", ownerName);
            details.put("personal", personal);
            details.put("role", role);
            details.put("namespace", namespace);
            details.put("expiresAt", stored.expiresAt().toString());
            audited.add(events.stage(ctx, "token.create", "Token", tokenName, "success", details));
        });
        events.settle(audited);
        return new IssuedToken(raw, stored);
    }

    Duration parseTtl(String ttl) {
        if (ttl == null || ttl.isBlank()) {
            return settings.tokenDefaultTtl();
        }
        Matcher m = TTL.matcher(ttl.strip());
        if (!m.matches()) {
            throw ApiProblem.invalid("Invalid token", List.of(new io.warden.api.FieldError("ttl",
                    "a number followed by m, h or d, such as 90m, 12h or 30d")));
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(settings.tokenMaxTtl()) > 0) {
            throw ApiProblem.invalid("Invalid token", List.of(new io.warden.api.FieldError("ttl",
                    "at most " + settings.tokenMaxTtl().toDays() + "d")));
        }
        return d;
    }

    List<ApiToken> tokens(String ownerIdOrNull) {
        return store.tokens(ownerIdOrNull);
    }

    Optional<ApiToken> token(String id) {
        return store.tokenById(id);
    }

    void revoke(RequestContext ctx, ApiToken token) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            store.revokeToken(token.id(), accounts.now());
            audited.add(events.stage(ctx, "token.revoke", "Token", token.name(), "success",
                    Map.of("owner", token.ownerName())));
        });
        events.settle(audited);
    }

    static ApiProblem invalid() {
        return new ApiProblem(org.springframework.http.HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
                "invalid, expired or revoked credential");
    }
}
