package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** setup, login, logout and whoami against a fake server. */
class IdentityTest {

    static final String PASSWORD = "correct-horse-battery-staple";
    static final String TOKEN = "wdn_TESTTOKENabcdefghijklmnopqrstuvwxyz0123456";

    @TempDir
    Path home;

    private FakeWarden server;
    private CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        server = FakeWarden.start();
        cli = new CliRunner(home).env("WARDEN_SERVER", server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Path configFile() {
        return home.resolve(".warden").resolve("config.yaml");
    }

    private static JsonNode body(FakeWarden.Request request) {
        return Json.JSON.readTree(request.body());
    }

    private void tokenEndpoint() {
        server.on("POST", "/v1/auth/token", (request, exchange) -> FakeWarden.json(exchange, 201,
                "{\"token\":\"" + TOKEN + "\",\"name\":\"laptop\",\"expiresAt\":\"2025-07-01T12:00:00Z\"}"));
    }

    private void writeConfig(String server, String token) throws IOException {
        Files.createDirectories(configFile().getParent());
        Files.writeString(configFile(), """
                currentContext: local
                contexts:
                  - name: local
                    server: %s
                    namespace: demo
                %s""".formatted(server, token == null ? "" : "    token: " + token + "\n"));
        Files.setPosixFilePermissions(configFile(), PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void setupSendsTheTokenFromTheFileAndThePasswordFromStdin() throws IOException {
        server.on("POST", "/v1/setup", (request, exchange) -> FakeWarden.json(exchange, 201, "{\"username\":\"admin\"}"));
        Path tokenFile = home.resolve("setup-token");
        Files.writeString(tokenFile, "setup-0123456789\n");

        CliRunner.Result result = cli.stdin(PASSWORD + "\n")
                .run("setup", "--token-file", tokenFile.toString(), "--username", "admin", "--password-stdin");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("admin admin created; now run: warden login --username admin");
        FakeWarden.Request request = server.requests().getFirst();
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isNull();
        JsonNode body = body(request);
        assertThat(body.path("token").asString()).isEqualTo("setup-0123456789");
        assertThat(body.path("username").asString()).isEqualTo("admin");
        assertThat(body.path("password").asString()).isEqualTo(PASSWORD);
    }

    @Test
    void setupAsksTwiceAtTheTerminalAndNeedsOneTokenSource() {
        server.on("POST", "/v1/setup", (request, exchange) -> FakeWarden.json(exchange, 201, "{\"username\":\"root\"}"));

        ScriptedTerminal terminal = new ScriptedTerminal(PASSWORD, PASSWORD);
        CliRunner.Result ok = cli.prompter(terminal).run("setup", "--token", "abc", "--username", "root");
        assertThat(ok.exit()).isZero();
        assertThat(terminal.prompts()).containsExactly("Password for root: ", "Repeat the password: ");
        assertThat(body(server.requests().getFirst()).path("password").asString()).isEqualTo(PASSWORD);

        CliRunner.Result mismatch = cli.prompter(new ScriptedTerminal(PASSWORD, "something-else-entirely"))
                .run("setup", "--token", "abc", "--username", "root");
        assertThat(mismatch.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(mismatch.errLines()).containsExactly("error: the passwords do not match; nothing was changed");

        CliRunner.Result noTerminal = cli.prompter(Prompter.NONE).run("setup", "--token", "abc", "--username", "root");
        assertThat(noTerminal.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(noTerminal.errLines().getFirst())
                .isEqualTo("error: there is no terminal to ask for the password on; pass it on stdin with --password-stdin");

        assertThat(cli.run("setup", "--username", "root", "--password-stdin").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("setup", "--token", "a", "--token-file", "f", "--username", "root").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("setup", "--token", "abc", "--password-stdin").exit()).as("--username is required").isEqualTo(WardenCli.USAGE);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void setupExplainsAWrongTokenAndAServerThatIsSetUpAlready() {
        server.on("POST", "/v1/setup",
                (request, exchange) -> FakeWarden.problem(exchange, 401, "Unauthorized", "invalid setup token", "r1"),
                (request, exchange) -> FakeWarden.problem(exchange, 409, "Conflict", "setup is done", "r2"));

        CliRunner.Result wrong = cli.stdin(PASSWORD + "\n").run("setup", "--token", "x", "--username", "a", "--password-stdin");
        assertThat(wrong.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(wrong.errLines()).containsExactly("error: the server refused the setup token: Unauthorized: invalid setup token (request id r1)");

        CliRunner.Result done = cli.stdin(PASSWORD + "\n").run("setup", "--token", "x", "--username", "a", "--password-stdin");
        assertThat(done.errLines().getFirst()).startsWith("error: this server is set up already");
    }

    @Test
    void loginStoresTheTokenOwnerOnlyAndTheNextCommandSendsIt() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        tokenEndpoint();
        server.on("GET", "/v1/auth/whoami", (request, exchange) -> FakeWarden.json(exchange, 200,
                "{\"kind\":\"user\",\"name\":\"alice\",\"user\":\"alice\",\"via\":\"token\",\"clusterRoles\":[],\"bindings\":[]}"));

        CliRunner.Result login = cli.stdin(PASSWORD + "\n")
                .run("login", "--username", "alice", "--password-stdin", "--name", "laptop", "--ttl", "30d");

        assertThat(login.exit()).isZero();
        assertThat(login.outLines()).containsExactly("logged in as alice (token expires 2025-07-01T12:00:00Z)");
        assertThat(login.errLines()).containsExactly("Context \"default\" created for " + server.url() + " in " + configFile()
                + "; it is now the current context.");
        assertThat(login.out() + login.err()).doesNotContain(TOKEN).doesNotContain(PASSWORD);

        FakeWarden.Request request = server.requests().getFirst();
        assertThat(request.toString()).isEqualTo("POST /v1/auth/token");
        assertThat(request.header("Authorization")).isNull();
        JsonNode body = body(request);
        assertThat(body.path("username").asString()).isEqualTo("alice");
        assertThat(body.path("password").asString()).isEqualTo(PASSWORD);
        assertThat(body.path("name").asString()).isEqualTo("laptop");
        assertThat(body.path("ttl").asString()).isEqualTo("30d");

        assertThat(Files.getPosixFilePermissions(configFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        CliConfig config = new ConfigStore(configFile()).load();
        assertThat(config.currentContext()).isEqualTo("default");
        assertThat(config.context("default").orElseThrow())
                .isEqualTo(new CliConfig.Context("default", server.url(), null, TOKEN));

        assertThat(cli.stdin("").run("whoami").exit()).isZero();
        assertThat(server.requests().getLast().header("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void loginReplacesTheTokenOfTheCurrentContextAndKeepsTheRest() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        writeConfig(server.url(), "wdn_old");
        tokenEndpoint();

        CliRunner.Result login = new CliRunner(home).prompter(new ScriptedTerminal("alice", PASSWORD)).run("login");

        assertThat(login.exit()).isZero();
        assertThat(login.err()).isEmpty();
        assertThat(server.requests().getFirst().header("Authorization")).as("a stale token is not sent to log in").isNull();
        assertThat(new ConfigStore(configFile()).load().context("local").orElseThrow())
                .isEqualTo(new CliConfig.Context("local", server.url(), "demo", TOKEN));
        assertThat(Files.getPosixFilePermissions(configFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void loginRefusesToStoreATokenInAContextOfAnotherServer() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        writeConfig("https://warden.example", null);
        tokenEndpoint();

        CliRunner.Result login = cli.stdin(PASSWORD + "\n").run("login", "--username", "alice", "--password-stdin");

        assertThat(login.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(login.errLines().getFirst()).isEqualTo("error: context \"local\" is for https://warden.example, not "
                + server.url() + "; a token from " + server.url() + " is not stored there");
        assertThat(server.requests()).as("no token is issued that could not be stored").isEmpty();
    }

    @Test
    void loginFailuresAndBadInput() {
        server.on("POST", "/v1/auth/token", (request, exchange) ->
                FakeWarden.problem(exchange, 401, "Unauthorized", "invalid user name or password", "r9"));

        CliRunner.Result wrong = cli.stdin(PASSWORD + "\n").run("login", "--username", "alice", "--password-stdin");
        assertThat(wrong.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(wrong.errLines()).containsExactly("error: login failed: Unauthorized: invalid user name or password (request id r9)");
        assertThat(configFile()).doesNotExist();

        CliRunner.Result noUser = cli.stdin(PASSWORD + "\n").run("login", "--password-stdin");
        assertThat(noUser.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(noUser.errLines().getFirst()).isEqualTo("error: missing --username (there is no terminal to ask for it on)");

        CliRunner.Result emptyStdin = cli.stdin("").run("login", "--username", "alice", "--password-stdin");
        assertThat(emptyStdin.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(emptyStdin.errLines().getFirst()).startsWith("error: stdin ended before a password was read");

        assertThat(cli.run("login", "--username", "a", "--password-stdin", "--ttl", "1w").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void logoutRevokesAndRemovesTheToken() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        writeConfig(server.url(), TOKEN);
        server.on("POST", "/v1/auth/logout", (request, exchange) -> FakeWarden.respond(exchange, 204, "application/json", ""));

        CliRunner.Result logout = new CliRunner(home).run("logout");

        assertThat(logout.exit()).isZero();
        assertThat(logout.outLines()).containsExactly("logged out; token removed from context \"local\"");
        assertThat(server.requests().getFirst().header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(new ConfigStore(configFile()).load().context("local").orElseThrow())
                .isEqualTo(new CliConfig.Context("local", server.url(), "demo", null));

        CliRunner.Result again = new CliRunner(home).run("logout");
        assertThat(again.exit()).isZero();
        assertThat(again.errLines()).containsExactly("Not logged in: context \"local\" holds no token.");
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void logoutRemovesTheTokenEvenWhenTheServerAnswers401() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        writeConfig(server.url(), TOKEN);
        server.on("POST", "/v1/auth/logout", (request, exchange) ->
                FakeWarden.problem(exchange, 401, "Unauthorized", "token expired", "r4"));

        CliRunner.Result logout = new CliRunner(home).run("logout");

        assertThat(logout.exit()).isZero();
        assertThat(logout.errLines()).containsExactly("warning: the server did not accept the token (Unauthorized: token expired"
                + " (request id r4)); it had expired or been revoked already. Removing it from context \"local\" anyway.");
        assertThat(logout.outLines()).containsExactly("logged out; token removed from context \"local\"");
        assertThat(Files.readString(configFile())).doesNotContain(TOKEN).doesNotContain("token:");
    }

    @Test
    void logoutRemovesTheTokenButFailsWhenTheServerCouldNotRevokeIt() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        writeConfig(server.url(), TOKEN);
        server.on("POST", "/v1/auth/logout", (request, exchange) ->
                FakeWarden.problem(exchange, 503, "Service Unavailable", "database unavailable", "r5"));

        CliRunner.Result logout = new CliRunner(home).run("logout");

        assertThat(logout.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(logout.errLines().getFirst()).isEqualTo(
                "error: could not revoke the token on the server: Service Unavailable: database unavailable (request id r5)");
        assertThat(Files.readString(configFile())).doesNotContain(TOKEN);
    }

    @Test
    void logoutDoesNotSendTheTokenToAnotherServer() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        writeConfig("https://warden.example", TOKEN);

        CliRunner.Result logout = cli.run("logout");

        assertThat(logout.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(logout.errLines().getFirst()).isEqualTo("error: the token of context \"local\" is for https://warden.example, not "
                + server.url() + "; nothing was changed");
        assertThat(server.requests()).isEmpty();
        assertThat(Files.readString(configFile())).contains(TOKEN);
    }

    @Test
    void whoamiShowsUserViaRolesAndBindings() {
        server.on("GET", "/v1/auth/whoami", (request, exchange) -> FakeWarden.json(exchange, 200, """
                {"kind":"token","name":"ci-deploy","user":"alice","via":"token","clusterRoles":["viewer","auditor"],
                 "bindings":[{"namespace":"demo","role":"operator"},{"namespace":"staging-long","role":"viewer"}]}"""));

        CliRunner.Result table = cli.run("whoami");

        assertThat(table.exit()).isZero();
        assertThat(table.out()).isEqualTo("""
                User:           alice
                Token:          ci-deploy
                Via:            token
                Cluster roles:  viewer, auditor
                Bindings:
                  NAMESPACE      ROLE
                  demo           operator
                  staging-long   viewer
                """);

        CliRunner.Result json = cli.run("whoami", "-o", "json");
        assertThat(Json.JSON.readTree(json.out()).path("bindings").size()).isEqualTo(2);
        assertThat(json.out()).startsWith("{\n  \"kind\": \"token\",");
    }

    @Test
    void whoamiOfAnAdminWithoutBindingsAndOfNobody() {
        server.on("GET", "/v1/auth/whoami",
                (request, exchange) -> FakeWarden.json(exchange, 200,
                        "{\"kind\":\"user\",\"name\":\"root\",\"user\":\"root\",\"via\":\"token\",\"clusterRoles\":[\"admin\"],\"bindings\":[]}"),
                (request, exchange) -> FakeWarden.problem(exchange, 401, "Unauthorized", "no credentials", "r7"));

        assertThat(cli.run("whoami").outLines()).containsExactly(
                "User:           root",
                "Via:            token",
                "Cluster roles:  admin",
                "Bindings:       <none>");

        CliRunner.Result nobody = cli.run("whoami");
        assertThat(nobody.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(nobody.errLines()).containsExactly("error: not logged in (run: warden login): Unauthorized: no credentials (request id r7)");
    }
}
