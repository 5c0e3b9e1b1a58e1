package io.warden.server.identity;

import io.warden.api.Kinds;
import io.warden.core.crypto.Tokens;
import io.warden.server.resources.Resources;
import io.warden.server.storage.DataDirectory;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.RequestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * First start: with no users, a one-time setup token is printed once and written to
 * {@code <data-dir>/setup-token} (0600); {@code POST /v1/setup} with it creates the first admin.
 * The token works once: the database row is consumed by exactly one request however many race.
 */
@Component
@Order(1)
class Bootstrap implements ApplicationRunner {

    static final String TOKEN_FILE = "setup-token";
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final Accounts accounts;
    private final SetupStore setup;
    private final Resources resources;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final Path tokenFile;

    private final IdentityEvents events;

    Bootstrap(Accounts accounts, SetupStore setup, Resources resources, TransactionTemplate tx, JsonMapper json,
            DataDirectory dataDir, IdentityEvents events) {
        this.events = events;
        this.accounts = accounts;
        this.setup = setup;
        this.resources = resources;
        this.tx = tx;
        this.json = json;
        this.tokenFile = dataDir.resolve(TOKEN_FILE);
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (accounts.userCount() > 0) {
            Files.deleteIfExists(tokenFile);
            return;
        }
        var row = setup.row();
        if (row.isPresent() && row.get().usedAt() == null && Files.exists(tokenFile)) {
            log.info("setup pending: the setup token is in {}", tokenFile);
            return;
        }
        String token = Tokens.newSetupToken();
        tx.executeWithoutResult(s -> setup.replace(Tokens.sha256Hex(token), accounts.now()));
        writeOwnerOnly(tokenFile, token);
        // Printed, not logged: it must reach the operator once and never a log pipeline.
        System.out.println();
        System.out.println("Warden has no users yet. Create the first admin with this one-time setup token:");
        System.out.println("  " + token);
        System.out.println("(also in " + tokenFile + "; run: warden setup --token-file " + tokenFile + " --username admin)");
        System.out.println();
        log.info("setup token written to {}", tokenFile);
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING)) {
            w.write(content);
            w.write('\n');
        }
    }

    /** Creates the first admin. Bad token: 401. Already set up: 409. */
    Accounts.UserView complete(RequestContext ctx, String token, String username, char[] password) {
        accounts.validateNew(username, password);
        if (token == null || token.isBlank()) {
            throw badToken();
        }
        String presented = Tokens.sha256Hex(token.strip());
        // Hashing the password before the transaction keeps the lock short.
        List<java.util.concurrent.CompletableFuture<io.warden.core.audit.AuditRecord>> audited = new java.util.ArrayList<>();
        User admin = tx.execute(s -> {
            var row = setup.row();
            if (accounts.userCount() > 0 || row.isEmpty() || row.get().usedAt() != null) {
                throw ApiProblem.conflict("Warden is already set up");
            }
            if (!Tokens.constantTimeEquals(presented, row.get().tokenHash())) {
                throw badToken();
            }
            if (!setup.consume(presented, accounts.now())) {
                throw ApiProblem.conflict("Warden is already set up");
            }
            audited.add(events.stage(ctx, "setup.complete", "User", username, "success", Map.of()));
            return null;
        });
        events.settle(audited);
        User created;
        try {
            created = accounts.create(ctx, username, password);
        } catch (RuntimeException e) {
            // The token was consumed but no admin exists: reopen setup with a fresh token.
            reopen();
            throw e;
        }
        JsonNode binding = json.valueToTree(Map.of("apiVersion", Kinds.API_VERSION, "kind", "ClusterRoleBinding",
                "metadata", Map.of("name", "setup-admin"),
                "spec", Map.of("roleRef", Map.of("name", "admin"),
                        "subjects", List.of(Map.of("kind", "User", "name", created.username())))));
        resources.apply(ctx, Kinds.CLUSTER_ROLE_BINDING, "", "setup-admin", binding);
        try {
            Files.deleteIfExists(tokenFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Accounts.view(admin == null ? created : admin);
    }

    private void reopen() {
        try {
            run(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ApiProblem badToken() {
        return new ApiProblem(HttpStatus.UNAUTHORIZED, "bad-setup-token", "Unauthenticated", "wrong setup token");
    }
}
