package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Kinds;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** users, tokens and roles against a fake server. */
class AdminCommandsTest {

    private static final String PASSWORD = IdentityTest.PASSWORD;
    private static final String TOKEN = IdentityTest.TOKEN;

    @TempDir
    Path home;

    private FakeWarden server;
    private ResourceStore store;
    private CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        store = new ResourceStore(CliRunner.NOW.minusSeconds(7200));
        server = FakeWarden.start().otherwise(store);
        cli = new CliRunner(home).env("WARDEN_SERVER", server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode body(FakeWarden.Request request) {
        return Json.JSON.readTree(request.body());
    }

    @Test
    void usersCreateReadsThePasswordFromStdinAndSendsItInTheBody() {
        server.on("POST", "/v1/users", (request, exchange) -> FakeWarden.json(exchange, 201,
                "{\"username\":\"bob\",\"disabled\":false,\"createdAt\":\"2025-06-01T12:00:00Z\"}"));

        CliRunner.Result result = cli.stdin(PASSWORD + "\r\nignored second line\n").run("users", "create", "bob", "--password-stdin");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("user bob created");
        FakeWarden.Request request = server.requests().getFirst();
        assertThat(request.toString()).isEqualTo("POST /v1/users");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        JsonNode body = body(request);
        assertThat(body.path("username").asString()).isEqualTo("bob");
        assertThat(body.path("password").asString()).as("the line break is not part of the password").isEqualTo(PASSWORD);
    }

    @Test
    void passwordsWithQuotesAndNonAsciiArriveIntact() {
        server.on("POST", "/v1/users", (request, exchange) -> FakeWarden.json(exchange, 201, "{\"username\":\"bob\"}"));
        String tricky = "p\"a\\ss wörd\t€😀 long enough";

        assertThat(cli.stdin(tricky + "\n").run("users", "create", "bob", "--password-stdin").exit()).isZero();

        assertThat(body(server.requests().getFirst()).path("password").asString()).isEqualTo(tricky);
    }

    @Test
    void aPasswordProblemIsRenderedWithItsFieldPath() {
        server.on("POST", "/v1/users", (request, exchange) -> FakeWarden.respond(exchange, 422, "application/problem+json", """
                {"type":"https://warden.dev/problems/invalid-password","title":"Invalid password","status":422,
                 "detail":"the password was refused","requestId":"req-422",
                 "errors":[{"path":"password","message":"must be at least 12 characters"}]}"""));

        CliRunner.Result result = cli.stdin("short\n").run("users", "create", "bob", "--password-stdin");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly(
                "error: Invalid password: the password was refused (request id req-422)",
                "  password: must be at least 12 characters");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void usersListIsATable() {
        server.on("GET", "/v1/users", (request, exchange) -> FakeWarden.json(exchange, 200, """
                {"items":[
                  {"username":"admin","disabled":false,"createdAt":"2025-05-01T12:00:00Z","lastLoginAt":"2025-06-01T11:55:00Z"},
                  {"username":"bob","disabled":true,"createdAt":"2025-06-01T10:00:00Z","lastLoginAt":null}]}"""));

        CliRunner.Result result = cli.run("users", "list");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly(
                "USERNAME   DISABLED   CREATED   LAST LOGIN",
                "admin      false      31d ago   5m ago",
                "bob        true       2h ago    never");
        assertThat(cli.run("users", "list", "-o", "name").outLines()).containsExactly("admin", "bob");
    }

    @Test
    void usersActionsUseTheirPathsAndReportMissingUsers() {
        server.on("POST", "/v1/users/bob/disable", (request, exchange) -> FakeWarden.json(exchange, 200, "{\"username\":\"bob\",\"disabled\":true}"));
        server.on("POST", "/v1/users/bob/enable", (request, exchange) -> FakeWarden.json(exchange, 200, "{\"username\":\"bob\",\"disabled\":false}"));
        server.on("DELETE", "/v1/users/bob", (request, exchange) -> FakeWarden.respond(exchange, 204, "application/json", ""));
        server.on("POST", "/v1/users/bob/password", (request, exchange) -> FakeWarden.respond(exchange, 204, "application/json", ""));

        assertThat(cli.run("users", "disable", "bob").outLines()).containsExactly("user bob disabled");
        assertThat(cli.run("users", "enable", "bob").outLines()).containsExactly("user bob enabled");
        assertThat(cli.prompter(new ScriptedTerminal(PASSWORD, PASSWORD)).run("users", "reset-password", "bob").outLines())
                .containsExactly("password of user bob reset");
        assertThat(body(server.requests().getLast()).path("password").asString()).isEqualTo(PASSWORD);
        assertThat(cli.run("users", "delete", "bob").outLines()).containsExactly("user bob deleted");

        CliRunner.Result missing = cli.run("users", "delete", "carol");
        assertThat(missing.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(missing.errLines()).containsExactly("error: user \"carol\" not found");
    }

    @Test
    void passwdReadsTheCurrentAndTheNewPasswordFromStdin() {
        cli = new CliRunner(home);
        cli.run("config", "set-context", "local", "--server", server.url());
        server.on("POST", "/v1/auth/token", (request, exchange) -> FakeWarden.json(exchange, 201, "{\"token\":\"" + TOKEN + "\"}"));
        server.on("POST", "/v1/auth/password", (request, exchange) -> FakeWarden.respond(exchange, 204, "application/json", ""));
        cli.stdin("old-password-123\n").run("login", "--username", "alice", "--password-stdin");

        CliRunner.Result result = cli.stdin("old-password-123\n" + PASSWORD + "\n").run("users", "passwd", "--password-stdin");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("password changed");
        FakeWarden.Request request = server.requests().getLast();
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(body(request).path("currentPassword").asString()).isEqualTo("old-password-123");
        assertThat(body(request).path("newPassword").asString()).isEqualTo(PASSWORD);

        CliRunner.Result oneLine = cli.stdin("old-password-123\n").run("users", "passwd", "--password-stdin");
        assertThat(oneLine.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(oneLine.errLines().getFirst()).startsWith("error: stdin ended before a password was read");
    }

    @Test
    void tokensCreatePrintsOnlyTheTokenOnStdout() {
        server.on("POST", "/v1/tokens", (request, exchange) -> FakeWarden.json(exchange, 201, """
                {"token":"%s","id":"7","name":"ci","owner":"alice","role":"operator","namespace":"demo",
                 "expiresAt":"2025-07-01T12:00:00Z"}""".formatted(TOKEN)));

        CliRunner.Result result = cli.run("tokens", "create", "--name", "ci", "--role", "operator", "-n", "demo", "--ttl", "30d");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo(TOKEN + "\n");
        assertThat(result.errLines()).containsExactly(
                "Token \"ci\" created (id 7, role operator, namespace demo, expires 2025-07-01T12:00:00Z).",
                "It is shown only this once; store it now.");
        JsonNode body = body(server.requests().getFirst());
        assertThat(body.path("name").asString()).isEqualTo("ci");
        assertThat(body.path("role").asString()).isEqualTo("operator");
        assertThat(body.path("namespace").asString()).isEqualTo("demo");
        assertThat(body.path("ttl").asString()).isEqualTo("30d");

        CliRunner.Result clusterWide = cli.run("tokens", "create", "--name", "ci", "--role", "operator");
        assertThat(body(server.requests().getLast()).has("namespace")).as("no -n: cluster-wide").isFalse();
        assertThat(clusterWide.exit()).isZero();

        CliRunner.Result json = cli.run("tokens", "create", "--name", "ci", "--role", "operator", "-o", "json");
        assertThat(Json.JSON.readTree(json.out()).path("token").asString()).isEqualTo(TOKEN);

        assertThat(cli.run("tokens", "create", "--name", "ci", "--role", "operator", "-o", "table").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("tokens", "create", "--name", "ci").exit()).as("--role is required").isEqualTo(WardenCli.USAGE);
    }

    @Test
    void tokensListAndRevoke() {
        server.on("GET", "/v1/tokens", (request, exchange) -> FakeWarden.json(exchange, 200, """
                {"items":[
                  {"id":"7","name":"ci","owner":"alice","role":"operator","namespace":"demo","createdAt":"2025-05-01T12:00:00Z",
                   "expiresAt":"2025-07-01T12:00:00Z","lastUsedAt":"2025-06-01T11:00:00Z","revoked":false},
                  {"id":8,"name":"worker-1","owner":"root","role":"worker","namespace":null,"createdAt":"2025-05-01T12:00:00Z",
                   "expiresAt":"2025-05-31T12:00:00Z","lastUsedAt":null,"revoked":true}]}"""));
        server.on("DELETE", "/v1/tokens/7", (request, exchange) -> FakeWarden.respond(exchange, 204, "application/json", ""));

        CliRunner.Result result = cli.run("tokens", "list", "--all");

        assertThat(result.exit()).isZero();
        assertThat(server.requests().getFirst().query()).containsEntry("all", "true");
        assertThat(result.outLines()).containsExactly(
                "ID   NAME       OWNER   ROLE       NAMESPACE   EXPIRES   LAST USED   REVOKED",
                "7    ci         alice   operator   demo        in 30d    1h ago      false",
                "8    worker-1   root    worker     *           1d ago    never       true");
        assertThat(cli.run("tokens", "list").exit()).isZero();
        assertThat(server.requests().getLast().rawQuery()).isNull();

        assertThat(cli.run("tokens", "revoke", "7").outLines()).containsExactly("token 7 revoked");
        CliRunner.Result missing = cli.run("tokens", "revoke", "9");
        assertThat(missing.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(missing.errLines()).containsExactly("error: token \"9\" not found");
    }

    @Test
    void rolesListCountsRules() {
        store.put((ObjectNode) Json.JSON.readTree("""
                {"kind":"Role","metadata":{"name":"operator"},"spec":{"rules":[{"resources":["tools"],"verbs":["get"]},
                 {"resources":["agents"],"verbs":["*"]}]}}"""));
        store.put((ObjectNode) Json.JSON.readTree("""
                {"kind":"Role","metadata":{"name":"viewer"},"spec":{"rules":[{"resources":["*"],"verbs":["get","list"]}]}}"""));

        CliRunner.Result result = cli.run("roles", "list");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly(
                "NAME       RULES   AGE",
                "operator   2       2h",
                "viewer     1       2h");
        assertThat(cli.run("get", "roles").outLines()).isEqualTo(result.outLines());
    }

    @Test
    void rolesBindAppliesARoleBindingAndUnbindDeletesIt() {
        store.put((ObjectNode) Json.JSON.readTree("{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"demo\"}}"));
        store.put((ObjectNode) Json.JSON.readTree("{\"kind\":\"Role\",\"metadata\":{\"name\":\"operator\"},\"spec\":{\"rules\":[]}}"));

        CliRunner.Result bind = cli.run("roles", "bind", "operator", "--user", "alice", "-n", "demo");

        assertThat(bind.exit()).isZero();
        assertThat(bind.outLines()).containsExactly("rolebinding/operator-user-alice created");
        assertThat(server.requestLines()).containsExactly("GET /v1/roles/operator", "PUT /v1/namespaces/demo/rolebindings/operator-user-alice");
        ObjectNode stored = store.stored(Kinds.ROLE_BINDING, "demo", "operator-user-alice");
        assertThat(Json.compact(stored.path("spec"))).isEqualTo(
                "{\"roleRef\":{\"name\":\"operator\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"alice\"}]}");
        assertThat(stored.path("apiVersion").asString()).isEqualTo("warden.dev/v1");

        assertThat(cli.run("roles", "bind", "operator", "--token", "ci", "-n", "demo").outLines())
                .containsExactly("rolebinding/operator-token-ci created");
        assertThat(store.stored(Kinds.ROLE_BINDING, "demo", "operator-token-ci").path("spec").path("subjects").get(0).path("kind").asString())
                .isEqualTo("Token");

        assertThat(cli.run("roles", "unbind", "operator", "--user", "alice", "-n", "demo").outLines())
                .containsExactly("rolebinding/operator-user-alice deleted");
        assertThat(store.stored(Kinds.ROLE_BINDING, "demo", "operator-user-alice")).isNull();
        CliRunner.Result again = cli.run("roles", "unbind", "operator", "--user", "alice", "-n", "demo");
        assertThat(again.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(again.errLines()).containsExactly("error: rolebinding \"operator-user-alice\" not found");
    }

    @Test
    void rolesBindWithClusterAppliesAClusterRoleBinding() {
        store.put((ObjectNode) Json.JSON.readTree("{\"kind\":\"Role\",\"metadata\":{\"name\":\"admin\"},\"spec\":{\"rules\":[]}}"));

        CliRunner.Result bind = cli.run("roles", "bind", "admin", "--user", "bob", "--cluster");

        assertThat(bind.exit()).isZero();
        assertThat(bind.outLines()).containsExactly("clusterrolebinding/admin-user-bob created");
        assertThat(server.requestLines()).last().isEqualTo("PUT /v1/clusterrolebindings/admin-user-bob");
        ObjectNode stored = store.stored(Kinds.CLUSTER_ROLE_BINDING, null, "admin-user-bob");
        assertThat(stored.path("metadata").has("namespace")).isFalse();
        assertThat(stored.path("spec").path("subjects").get(0).path("name").asString()).isEqualTo("bob");

        assertThat(cli.run("roles", "unbind", "admin", "--user", "bob", "--cluster").outLines())
                .containsExactly("clusterrolebinding/admin-user-bob deleted");
        assertThat(server.requestLines()).last().isEqualTo("DELETE /v1/clusterrolebindings/admin-user-bob");
    }

    @Test
    void rolesBindChecksItsArguments() {
        assertThat(cli.run("roles", "bind", "operator").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("roles", "bind", "operator", "--user", "a", "--token", "b").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("roles", "bind", "operator", "--user", "a", "--cluster", "-n", "demo").exit()).isEqualTo(WardenCli.USAGE);
        CliRunner.Result dotted = cli.run("roles", "bind", "operator", "--user", "john.doe");
        assertThat(dotted.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(dotted.errLines().getFirst()).startsWith("error: the binding would be named \"operator-user-john.doe\", which is not a valid name");
        assertThat(server.requests()).isEmpty();

        CliRunner.Result noRole = cli.run("roles", "bind", "nope", "--user", "alice");
        assertThat(noRole.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(noRole.errLines()).containsExactly("error: role \"nope\" not found (see warden roles list); nothing was bound");
        assertThat(server.requestLines()).containsExactly("GET /v1/roles/nope");
    }
}
