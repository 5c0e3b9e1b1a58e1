package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.cli.WardenCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** setup from a token file, then users, tokens and roles against the real server, as its admin. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminCommandsEndToEndTest {

    private static final String PASSWORD = IdentityEndToEndTest.PASSWORD;
    private static final String REQUEST_ID = " \\(request id [0-9a-f-]{36}\\)";

    private ServerProcess server;
    private Wire wire;
    private String url;
    private Cli cli;
    private Http admin;

    private String setupToken;
    private Cli.Result setup;
    private List<Wire.Request> sentBySetup;

    @BeforeAll
    void start() throws Exception {
        Path dataDir = Files.createTempDirectory("warden-it-").resolve("data");
        server = ServerProcess.startSqlite(dataDir);
        wire = Wire.to(server.port);
        url = wire.url();
        // Setup as the README says: the token from the file the server wrote, the password on stdin.
        // It works once per server, so it happens here and setupSendsTheTokenFromTheFile... checks it.
        Path tokenFile = dataDir.resolve("setup-token");
        setupToken = Files.readString(tokenFile);
        setup = new Cli(url).runWithInput(Cli.ADMIN_PASSWORD + "\n", "setup", "--token-file", tokenFile.toString(),
                "--username", Cli.ADMIN, "--password-stdin");
        sentBySetup = wire.requests();
        cli = Cli.admin(url, dataDir);
        admin = new Http(server.server(), cli.token());
        admin.namespace("demo");
        admin.apply("/v1/roles/operator", "{'apiVersion':'warden.dev/v1','kind':'Role','metadata':{'name':'operator'},'spec':{'rules':["
                + "{'resources':['tools'],'verbs':['get']},{'resources':['agents'],'verbs':['*']}]}}");
        admin.apply("/v1/roles/viewer", "{'apiVersion':'warden.dev/v1','kind':'Role','metadata':{'name':'viewer'},'spec':{'rules':["
                + "{'resources':['*'],'verbs':['get','list']}]}}");
    }

    @AfterAll
    void stop() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (server != null) {
            server.stopCleanly();
        }
    }

    private static JsonNode body(Wire.Request request) {
        return Http.JSON.readTree(request.body());
    }

    private Cli at(Instant now) {
        return cli.with(c -> c.withClock(Clock.fixed(now, ZoneOffset.UTC)));
    }

    private int loginStatus(String user, String password) {
        return new Http(server.server(), null)
                .post("/v1/auth/token", Http.JSON.createObjectNode().put("username", user).put("password", password).toString())
                .status();
    }

    private void createUser(String name, String password) {
        Http.Reply reply = admin.post("/v1/users", Http.JSON.createObjectNode().put("username", name).put("password", password).toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    private JsonNode token(String name) {
        for (JsonNode t : admin.get("/v1/tokens?all=true").json().path("items")) {
            if (t.path("name").asString().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no token " + name);
    }

    @Test
    void setupSendsTheTokenFromTheFileAndThePasswordFromStdin() {
        assertThat(setup.exit()).as(setup.toString()).isZero();
        assertThat(setup.outLines()).containsExactly("admin admin created; now run: warden login --username admin");
        assertThat(sentBySetup).hasSize(1);
        Wire.Request request = sentBySetup.getFirst();
        assertThat(request.line()).isEqualTo("POST /v1/setup");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isNull();
        JsonNode body = body(request);
        assertThat(setupToken).as("the file ends with a line break").endsWith("\n");
        assertThat(body.path("token").asString()).isEqualTo(setupToken.strip());
        assertThat(body.path("username").asString()).isEqualTo("admin");
        assertThat(body.path("password").asString()).isEqualTo(Cli.ADMIN_PASSWORD);
    }

    // --- users --------------------------------------------------------------------------------

    @Test
    void usersCreateReadsThePasswordFromStdinAndSendsItInTheBody() {
        int before = wire.requests().size();

        Cli.Result result = cli.runWithInput(PASSWORD + "\r\nignored second line\n", "users", "create", "bob", "--password-stdin");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.outLines()).containsExactly("user bob created");
        Wire.Request request = wire.requestsSince(before).getFirst();
        assertThat(request.toString()).isEqualTo("POST /v1/users");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = body(request);
        assertThat(body.path("username").asString()).isEqualTo("bob");
        assertThat(body.path("password").asString()).as("the line break is not part of the password").isEqualTo(PASSWORD);
        assertThat(loginStatus("bob", PASSWORD)).isEqualTo(201);
    }

    @Test
    void passwordsWithQuotesAndNonAsciiArriveIntact() {
        String tricky = "p\"a\\ss wörd\t€😀 long enough";
        int before = wire.requests().size();

        assertThat(cli.runWithInput(tricky + "\n", "users", "create", "tricky", "--password-stdin").exit()).isZero();

        assertThat(body(wire.requestsSince(before).getFirst()).path("password").asString()).isEqualTo(tricky);
        assertThat(loginStatus("tricky", tricky)).isEqualTo(201);
    }

    @Test
    void aPasswordProblemIsRenderedWithItsFieldPath() {
        Cli.Result result = cli.runWithInput("zq8vw3nb5rk\n", "users", "create", "shorty", "--password-stdin");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).hasSize(2);
        assertThat(result.errLines().get(0)).matches("error: Invalid password: 1 field is invalid" + REQUEST_ID);
        assertThat(result.errLines().get(1)).isEqualTo("  password: Use at least 12 characters.");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void usersListIsATable() {
        createUser("never-in", PASSWORD);
        assertThat(cli.run("users", "disable", "never-in").exit()).isZero();
        JsonNode users = admin.get("/v1/users").json().path("items");
        Instant adminLogin = null;
        List<String> names = new ArrayList<>();
        List<List<String>> expected = new ArrayList<>();
        for (JsonNode u : users) {
            String name = u.path("username").asString();
            names.add(name);
            // Every user here was made minutes ago at most: two and a half hours later, all is "2h ago".
            expected.add(List.of(name, u.path("disabled").asString(), "2h ago", u.path("lastLoginAt").isNull() ? "never" : "2h ago"));
            if (name.equals("admin")) {
                adminLogin = Instant.parse(u.path("lastLoginAt").asString());
            }
        }

        Cli.Result result = at(adminLogin.plus(Duration.ofMinutes(150))).run("users", "list");

        assertThat(result.exit()).isZero();
        List<List<String>> rows = TableOutput.rows(result.outLines(), "USERNAME", "DISABLED", "CREATED", "LAST LOGIN");
        assertThat(rows).containsExactlyElementsOf(expected);
        assertThat(rows).contains(
                List.of("admin", "false", "2h ago", "2h ago"),
                List.of("never-in", "true", "2h ago", "never"));
        assertThat(cli.run("users", "list", "-o", "name").outLines()).containsExactlyElementsOf(names);
    }

    @Test
    void usersActionsUseTheirPathsAndReportMissingUsers() {
        createUser("acted", PASSWORD);
        String newPassword = "another-" + PASSWORD;
        int before = wire.requests().size();

        assertThat(cli.run("users", "disable", "acted").outLines()).containsExactly("user acted disabled");
        assertThat(loginStatus("acted", PASSWORD)).as("disabled").isEqualTo(401);
        assertThat(cli.run("users", "enable", "acted").outLines()).containsExactly("user acted enabled");
        assertThat(loginStatus("acted", PASSWORD)).as("enabled").isEqualTo(201);
        assertThat(cli.with(c -> c.withPrompter(new ScriptedTerminal(newPassword, newPassword)))
                .run("users", "reset-password", "acted").outLines()).containsExactly("password of user acted reset");
        assertThat(body(wire.requests().getLast()).path("password").asString()).isEqualTo(newPassword);
        assertThat(loginStatus("acted", newPassword)).as("the new password").isEqualTo(201);
        assertThat(cli.run("users", "delete", "acted").outLines()).containsExactly("user acted deleted");
        assertThat(admin.get("/v1/users/acted").status()).isEqualTo(404);
        assertThat(Wire.lines(wire.requestsSince(before))).containsExactly(
                "POST /v1/users/acted/disable",
                "POST /v1/users/acted/enable",
                "POST /v1/users/acted/password",
                "DELETE /v1/users/acted");

        Cli.Result missing = cli.run("users", "delete", "carol");
        assertThat(missing.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(missing.errLines()).containsExactly("error: user \"carol\" not found");
    }

    @Test
    void passwdReadsTheCurrentAndTheNewPasswordFromStdin() {
        createUser("pat", "old-password-123");
        Cli pat = Cli.withoutServer();
        pat.run("config", "set-context", "local", "--server", url);
        pat.runWithInput("old-password-123\n", "login", "--username", "pat", "--password-stdin");
        String token = pat.token();

        Cli.Result result = pat.runWithInput("old-password-123\n" + PASSWORD + "\n", "users", "passwd", "--password-stdin");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.outLines()).containsExactly("password changed");
        Wire.Request request = wire.requests().getLast();
        assertThat(request.line()).isEqualTo("POST /v1/auth/password");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + token);
        assertThat(body(request).path("currentPassword").asString()).isEqualTo("old-password-123");
        assertThat(body(request).path("newPassword").asString()).isEqualTo(PASSWORD);
        assertThat(loginStatus("pat", PASSWORD)).isEqualTo(201);
        assertThat(loginStatus("pat", "old-password-123")).isEqualTo(401);

        int before = wire.requests().size();
        Cli.Result oneLine = pat.runWithInput("old-password-123\n", "users", "passwd", "--password-stdin");
        assertThat(oneLine.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(oneLine.errLines().getFirst()).startsWith("error: stdin ended before a password was read");
        assertThat(wire.requestsSince(before)).isEmpty();
    }

    // --- tokens -------------------------------------------------------------------------------

    @Test
    void tokensCreatePrintsOnlyTheTokenOnStdout() {
        int before = wire.requests().size();

        Cli.Result result = cli.run("tokens", "create", "--name", "ci", "--role", "operator", "-n", "demo", "--ttl", "30d");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).matches("wdn_[A-Za-z0-9_-]{43}\n");
        JsonNode ci = token("ci");
        assertThat(result.errLines()).containsExactly(
                "Token \"ci\" created (id " + ci.path("id").asString() + ", role operator, namespace demo, expires "
                        + ci.path("expiresAt").asString() + ").",
                "It is shown only this once; store it now.");
        JsonNode body = body(wire.requestsSince(before).getFirst());
        assertThat(body.path("name").asString()).isEqualTo("ci");
        assertThat(body.path("role").asString()).isEqualTo("operator");
        assertThat(body.path("namespace").asString()).isEqualTo("demo");
        assertThat(body.path("ttl").asString()).isEqualTo("30d");
        JsonNode identity = new Http(server.server(), result.out().strip()).get("/v1/auth/whoami").json();
        assertThat(identity.path("name").asString()).as("the printed token is the token").isEqualTo("ci");

        Cli.Result clusterWide = cli.run("tokens", "create", "--name", "ci-everywhere", "--role", "operator");
        assertThat(body(wire.requests().getLast()).has("namespace")).as("no -n: cluster-wide").isFalse();
        assertThat(clusterWide.exit()).isZero();
        assertThat(token("ci-everywhere").path("namespace").isNull()).isTrue();

        Cli.Result json = cli.run("tokens", "create", "--name", "ci-json", "--role", "operator", "-o", "json");
        String jsonToken = Http.JSON.readTree(json.out()).path("token").asString();
        assertThat(jsonToken).matches("wdn_[A-Za-z0-9_-]{43}");
        assertThat(new Http(server.server(), jsonToken).get("/v1/auth/whoami").status()).isEqualTo(200);

        assertThat(cli.run("tokens", "create", "--name", "ci", "--role", "operator", "-o", "table").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("tokens", "create", "--name", "ci").exit()).as("--role is required").isEqualTo(WardenCli.USAGE);
    }

    @Test
    void tokensListAndRevoke() {
        // lister holds operator in demo and makes a token with it, used once; the admin's own
        // cluster-wide worker token lives a day and is revoked.
        createUser("lister", PASSWORD);
        admin.apply("/v1/namespaces/demo/rolebindings/lister", "{'apiVersion':'warden.dev/v1','kind':'RoleBinding',"
                + "'metadata':{'name':'lister'},'spec':{'roleRef':{'name':'operator'},'subjects':[{'kind':'User','name':'lister'}]}}");
        String listerLogin = new Http(server.server(), null).post("/v1/auth/token",
                "{\"username\":\"lister\",\"password\":\"" + PASSWORD + "\"}").json().path("token").asString();
        Http.Reply created = new Http(server.server(), listerLogin).post("/v1/tokens",
                "{\"name\":\"lister-ci\",\"role\":\"operator\",\"namespace\":\"demo\",\"ttl\":\"30d\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String listerCi = created.json().path("token").asString();
        assertThat(new Http(server.server(), listerCi).get("/v1/auth/whoami").status()).isEqualTo(200);
        assertThat(cli.run("tokens", "create", "--name", "worker-1", "--role", "worker", "--ttl", "1d").exit()).isZero();
        String workerId = token("worker-1").path("id").asString();
        assertThat(cli.run("tokens", "revoke", workerId).exit()).isZero();
        JsonNode ci = token("lister-ci");
        // A day after the worker token expired: the lister token has some four weeks left.
        Instant now = Instant.parse(token("worker-1").path("expiresAt").asString()).plus(Duration.ofDays(1).plusHours(1));
        int before = wire.requests().size();

        Cli.Result result = at(now).run("tokens", "list", "--all");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(wire.requestsSince(before).getFirst().query()).containsEntry("all", "true");
        List<List<String>> rows = TableOutput.rows(result.outLines(),
                "ID", "NAME", "OWNER", "ROLE", "NAMESPACE", "EXPIRES", "LAST USED", "REVOKED");
        assertThat(rows).contains(
                List.of(ci.path("id").asString(), "lister-ci", "lister", "operator", "demo", "in 27d", "2d ago", "false"),
                List.of(workerId, "worker-1", "admin", "worker", "*", "1d ago", "never", "true"));
        before = wire.requests().size();
        Cli.Result own = cli.run("tokens", "list");
        assertThat(own.exit()).isZero();
        assertThat(wire.requestsSince(before).getFirst().rawQuery()).isNull();
        assertThat(TableOutput.rows(own.outLines(), "ID", "NAME", "OWNER", "ROLE", "NAMESPACE", "EXPIRES", "LAST USED", "REVOKED"))
                .as("without --all, only the admin's own").allSatisfy(row -> assertThat(row.get(2)).isEqualTo("admin"));

        assertThat(cli.run("tokens", "revoke", ci.path("id").asString()).outLines())
                .containsExactly("token " + ci.path("id").asString() + " revoked");
        assertThat(new Http(server.server(), listerCi).get("/v1/auth/whoami").status()).isEqualTo(401);
        Cli.Result missing = cli.run("tokens", "revoke", "9");
        assertThat(missing.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(missing.errLines()).containsExactly("error: token \"9\" not found");
    }

    // --- roles --------------------------------------------------------------------------------

    @Test
    void rolesListCountsRules() {
        List<List<String>> expected = new ArrayList<>();
        Instant newest = Instant.EPOCH;
        for (JsonNode role : admin.get("/v1/roles").json().path("items")) {
            expected.add(List.of(role.path("metadata").path("name").asString(), Integer.toString(role.path("spec").path("rules").size()), "2h"));
            Instant created = Instant.parse(role.path("metadata").path("creationTimestamp").asString());
            newest = created.isAfter(newest) ? created : newest;
        }
        // The built-in roles and this class's were all made minutes apart: 2h10m after the newest, all are "2h".
        Cli later = at(newest.plus(Duration.ofMinutes(130)));

        Cli.Result result = later.run("roles", "list");

        assertThat(result.exit()).isZero();
        List<List<String>> rows = TableOutput.rows(result.outLines(), "NAME", "RULES", "AGE");
        assertThat(rows).containsExactlyElementsOf(expected);
        assertThat(rows).contains(List.of("operator", "2", "2h"), List.of("viewer", "1", "2h"));
        assertThat(later.run("get", "roles").outLines()).isEqualTo(result.outLines());
    }

    @Test
    void rolesBindAppliesARoleBindingAndUnbindDeletesIt() {
        admin.namespace("bound");
        int before = wire.requests().size();

        Cli.Result bind = cli.run("roles", "bind", "operator", "--user", "alice", "-n", "bound");

        assertThat(bind.exit()).as(bind.toString()).isZero();
        assertThat(bind.outLines()).containsExactly("rolebinding/operator-user-alice created");
        assertThat(Wire.lines(wire.requestsSince(before)))
                .containsExactly("GET /v1/roles/operator", "PUT /v1/namespaces/bound/rolebindings/operator-user-alice");
        JsonNode stored = admin.get("/v1/namespaces/bound/rolebindings/operator-user-alice").json();
        assertThat(Http.JSON.writeValueAsString(stored.path("spec"))).isEqualTo(
                "{\"roleRef\":{\"name\":\"operator\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}");
        assertThat(stored.path("apiVersion").asString()).isEqualTo("warden.dev/v1");

        assertThat(cli.run("roles", "bind", "operator", "--token", "ci", "-n", "bound").outLines())
                .containsExactly("rolebinding/operator-token-ci created");
        assertThat(admin.get("/v1/namespaces/bound/rolebindings/operator-token-ci").json()
                .path("spec").path("subjects").get(0).path("kind").asString()).isEqualTo("Token");

        assertThat(cli.run("roles", "unbind", "operator", "--user", "alice", "-n", "bound").outLines())
                .containsExactly("rolebinding/operator-user-alice deleted");
        assertThat(admin.get("/v1/namespaces/bound/rolebindings/operator-user-alice").status()).isEqualTo(404);
        Cli.Result again = cli.run("roles", "unbind", "operator", "--user", "alice", "-n", "bound");
        assertThat(again.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(again.errLines()).containsExactly("error: rolebinding \"operator-user-alice\" not found");
    }

    @Test
    void rolesBindWithClusterAppliesAClusterRoleBinding() {
        Cli.Result bind = cli.run("roles", "bind", "admin", "--user", "bob", "--cluster");

        assertThat(bind.exit()).as(bind.toString()).isZero();
        assertThat(bind.outLines()).containsExactly("clusterrolebinding/admin-user-bob created");
        assertThat(wire.requests().getLast().line()).isEqualTo("PUT /v1/clusterrolebindings/admin-user-bob");
        JsonNode stored = admin.get("/v1/clusterrolebindings/admin-user-bob").json();
        assertThat(stored.path("metadata").has("namespace")).isFalse();
        assertThat(stored.path("spec").path("subjects").get(0).path("name").asString()).isEqualTo("bob");

        assertThat(cli.run("roles", "unbind", "admin", "--user", "bob", "--cluster").outLines())
                .containsExactly("clusterrolebinding/admin-user-bob deleted");
        assertThat(wire.requests().getLast().line()).isEqualTo("DELETE /v1/clusterrolebindings/admin-user-bob");
        assertThat(admin.get("/v1/clusterrolebindings/admin-user-bob").status()).isEqualTo(404);
    }

    @Test
    void aRoleThatDoesNotExistIsNotBound() {
        int before = wire.requests().size();

        Cli.Result noRole = cli.run("roles", "bind", "nope", "--user", "alice");

        assertThat(noRole.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(noRole.errLines()).containsExactly("error: role \"nope\" not found (see warden roles list); nothing was bound");
        assertThat(Wire.lines(wire.requestsSince(before))).containsExactly("GET /v1/roles/nope");
    }
}
