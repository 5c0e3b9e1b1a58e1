package io.warden.server.identity;

import io.warden.api.FieldError;
import io.warden.core.crypto.PasswordHasher;
import io.warden.core.passwords.PasswordPolicy;
import io.warden.server.WardenProperties;
import io.warden.core.audit.AuditRecord;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.RequestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Human users: their lifecycle, their passwords and logging in. Unknown user, wrong password and
 * disabled user cost the same Argon2id verification and get the same answer.
 */
@Service
public class Accounts {

    /** What the API shows of a user. */
    public record UserView(String username, boolean disabled, Instant createdAt, Instant lastLoginAt) {
    }

    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final UserStore users;
    private final CredentialStore credentials;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final WardenProperties.Identity settings;
    /**
     * Each Argon2id computation takes 64 MiB and a core for a fifth of a second: more of them at
     * once than there are cores only queues them in memory, so a flood of logins waits here
     * (and fails with 503 after a while) instead of exhausting the heap.
     */
    private final Semaphore hashing = new Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()), true);

    private final IdentityEvents events;

    Accounts(UserStore users, CredentialStore credentials, PasswordHasher hasher, PasswordPolicy policy,
            TransactionTemplate tx, Clock clock, WardenProperties props, IdentityEvents events) {
        this.events = events;
        this.users = users;
        this.credentials = credentials;
        this.hasher = hasher;
        this.policy = policy;
        this.tx = tx;
        this.clock = clock;
        this.settings = props.identity();
    }

    private <T> T withHashing(Supplier<T> work) {
        boolean acquired = false;
        try {
            acquired = hashing.tryAcquire(10, TimeUnit.SECONDS);
            if (!acquired) {
                throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy",
                        "too many password checks at once; retry shortly").retryAfter(1);
            }
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Service busy", "interrupted");
        } finally {
            if (acquired) {
                hashing.release();
            }
        }
    }

    private String hash(char[] password) {
        return withHashing(() -> hasher.hash(password));
    }

    private boolean verify(char[] password, String phc) {
        return withHashing(() -> hasher.verify(password, phc));
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Checks a new user's name and password; throws 422 naming the field. */
    void validateNew(String username, char[] password) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw ApiProblem.invalid("Invalid user", List.of(new FieldError("username",
                    "1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")));
        }
        requireGoodPassword(password, username);
    }

    private void requireGoodPassword(char[] password, String username) {
        if (password == null) {
            throw ApiProblem.invalid("Invalid password", List.of(new FieldError("password", "is required")));
        }
        List<String> problems = policy.problems(new String(password), username);
        if (!problems.isEmpty()) {
            throw ApiProblem.invalid("Invalid password",
                    problems.stream().map(p -> new FieldError("password", p)).toList());
        }
    }

    /** Creates a user; the hash is computed before the transaction so no lock is held meanwhile. */
    User create(RequestContext ctx, String username, char[] password) {
        validateNew(username, password);
        User user = new User(UUID.randomUUID().toString(), username, hash(password), false, now(), now(), null);
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        User created = tx.execute(s -> {
            if (users.byUsername(username).isPresent()) {
                throw ApiProblem.conflict("user '" + username + "' already exists");
            }
            users.insert(user);
            audited.add(events.stage(ctx, "user.create", "User", username, "success", Map.of()));
            return user;
        });
        events.settle(audited);
        return created;
    }

    public UserView createUser(RequestContext ctx, String username, char[] password) {
        return view(create(ctx, username, password));
    }

    public List<UserView> list() {
        return users.all().stream().map(Accounts::view).toList();
    }

    public UserView get(String username) {
        return view(require(username));
    }

    /** Disabling also ends every session and revokes every token of the user. */
    public UserView setDisabled(RequestContext ctx, String username, boolean disabled) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        UserView result = tx.execute(s -> {
            User u = require(username);
            users.setDisabled(u.id(), disabled, now());
            if (disabled) {
                credentials.deleteSessionsOf(u.id());
                credentials.revokeTokensOf(u.id(), false, now());
            }
            audited.add(events.stage(ctx, disabled ? "user.disable" : "user.enable", "User", username, "success", Map.of()));
            return view(users.byId(u.id()).orElseThrow());
        });
        events.settle(audited);
        return result;
    }

    public void delete(RequestContext ctx, String username) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            users.delete(require(username).id());
            audited.add(events.stage(ctx, "user.delete", "User", username, "success", Map.of()));
        });
        events.settle(audited);
    }

    /** An admin sets a new password: the user's sessions and personal tokens end. */
    public void resetPassword(RequestContext ctx, String username, char[] password) {
        User u = require(username);
        requireGoodPassword(password, username);
        replacePassword(ctx, "user.password.reset", u, hash(password));
    }

    /** A user changes its own password, proving the current one first. */
    void changePassword(RequestContext ctx, String userId, char[] current, char[] next) {
        User u = users.byId(userId).orElseThrow(ApiProblem::unauthenticated);
        if (current == null || !verify(current, u.passwordHash())) {
            throw ApiProblem.invalid("Invalid password", List.of(new FieldError("currentPassword", "is not your current password")));
        }
        requireGoodPassword(next, u.username());
        replacePassword(ctx, "user.password.change", u, hash(next));
    }

    private void replacePassword(RequestContext ctx, String action, User u, String hash) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            users.setPassword(u.id(), hash, now());
            credentials.deleteSessionsOf(u.id());
            credentials.revokeTokensOf(u.id(), true, now());
            audited.add(events.stage(ctx, action, "User", u.username(), "success", Map.of()));
        });
        events.settle(audited);
    }

    /**
     * Checks a username and password from a client. Throws 429 while the (username, client) pair
     * is backing off, 401 for any failure, the same for every kind of failure.
     */
    User login(RequestContext ctx, String username, char[] password) {
        String client = ctx.clientAddress() == null ? "" : ctx.clientAddress();
        String key = username == null ? "" : username.length() > 64 ? username.substring(0, 64) : username;
        Instant now = now();
        Optional<Instant> locked = users.lockedUntil(key, client);
        if (locked.isPresent() && locked.get().isAfter(now)) {
            events.append(ctx, "auth.login", "User", null, "throttled", Map.of("username", events.fingerprint(key)));
            throw tooManyFailures(Duration.between(now, locked.get()));
        }
        Optional<User> found = USERNAME.matcher(key).matches() ? users.byUsername(key) : Optional.empty();
        boolean ok;
        if (found.isPresent()) {
            ok = password != null && verify(password, found.get().passwordHash()) && !found.get().disabled();
        } else {
            char[] presented = password == null ? new char[0] : password;
            withHashing(() -> hasher.verifyAgainstDummy(presented));
            ok = false;
        }
        if (!ok) {
            // A name that is not a user may be a password typed in the wrong field: fingerprint it.
            String target = found.map(User::username).orElse(null);
            recordFailure(ctx, key, client, now, target);
            throw badCredentials();
        }
        User user = found.get();
        String rehashed = hasher.needsRehash(user.passwordHash()) ? hash(password) : null;
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            users.clearFailures(key, client);
            users.loggedIn(user.id(), now);
            if (rehashed != null) {
                users.setPassword(user.id(), rehashed, now);
            }
            audited.add(events.stageLogin(ctx, user.username()));
        });
        events.settle(audited);
        return user;
    }

    private void recordFailure(RequestContext ctx, String username, String client, Instant now, String knownUser) {
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            int failures = users.failures(username, client) + 1;
            Instant until = now;
            int over = failures - settings.lockoutThreshold();
            if (over >= 0) {
                long seconds = over >= 20 ? Long.MAX_VALUE : 1L << over;
                until = now.plus(seconds >= settings.lockoutMax().toSeconds() ? settings.lockoutMax()
                        : Duration.ofSeconds(seconds));
            }
            users.recordFailure(username, client, failures, now, until);
            audited.add(events.stage(ctx, "auth.login", "User", knownUser, "failure", knownUser != null ? Map.of("failures", failures)
                    : Map.of("failures", failures, "username", events.fingerprint(username))));
        });
        events.settle(audited);
    }

    static ApiProblem badCredentials() {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-credentials", "Unauthenticated",
                "unknown user or wrong password");
    }

    private static ApiProblem tooManyFailures(Duration wait) {
        long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
        return new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "login-backoff", "Too many failed logins",
                "too many failed logins from this address; retry after " + seconds + " s").retryAfter(seconds);
    }

    User require(String username) {
        return users.byUsername(username == null ? "" : username)
                .orElseThrow(() -> ApiProblem.notFound("user '" + username + "' not found"));
    }

    Optional<User> byId(String id) {
        return users.byId(id);
    }

    long userCount() {
        return users.count();
    }

    static UserView view(User u) {
        return new UserView(u.username(), u.disabled(), u.createdAt(), u.lastLoginAt());
    }
}
