package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canaries: recognisable passwords and tokens go through login, tokens create, users create and
 * logout with --verbose, also when the server refuses, and must show up nowhere in the output but
 * in the one line that is meant to carry a token.
 */
class SecretsCanaryTest {

    private static final String PASSWORD = "CANARY-PASSWORD-7f3a9c";
    private static final String NEW_PASSWORD = "CANARY-NEW-PASSWORD-51be02";
    private static final String LOGIN_TOKEN = "wdn_CANARYLOGINTOKEN000000000000000000000000000";
    private static final String API_TOKEN = "wdn_CANARYAPITOKEN00000000000000000000000000000";

    @TempDir
    Path home;

    private FakeWarden server;
    private CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        server = FakeWarden.start();
        server.on("POST", "/v1/auth/token", (request, exchange) -> FakeWarden.json(exchange, 201,
                "{\"token\":\"" + LOGIN_TOKEN + "\",\"name\":\"cli\",\"expiresAt\":\"2025-07-01T12:00:00Z\"}"));
        server.on("POST", "/v1/tokens", (request, exchange) -> FakeWarden.json(exchange, 201,
                "{\"token\":\"" + API_TOKEN + "\",\"id\":\"3\",\"name\":\"ci\",\"owner\":\"alice\",\"role\":\"operator\","
                        + "\"namespace\":\"demo\",\"expiresAt\":\"2025-07-01T12:00:00Z\"}"));
        server.on("POST", "/v1/users",
                (request, exchange) -> FakeWarden.json(exchange, 201, "{\"username\":\"bob\"}"),
                (request, exchange) -> FakeWarden.respond(exchange, 422, "application/problem+json",
                        "{\"title\":\"Invalid password\",\"status\":422,\"errors\":[{\"path\":\"password\",\"message\":\"too common\"}]}"));
        server.on("POST", "/v1/auth/password", (request, exchange) ->
                FakeWarden.problem(exchange, 500, "Internal Server Error", "boom", "r500"));
        server.on("POST", "/v1/auth/logout", (request, exchange) ->
                FakeWarden.problem(exchange, 401, "Unauthorized", "expired", "r401"));
        cli = new CliRunner(home).env("WARDEN_SERVER", server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static void assertNoSecrets(CliRunner.Result result) {
        for (String secret : new String[] {PASSWORD, NEW_PASSWORD, LOGIN_TOKEN, API_TOKEN}) {
            assertThat(result.out()).as("stdout").doesNotContain(secret);
            assertThat(result.err()).as("stderr").doesNotContain(secret);
        }
    }

    @Test
    void verboseRunsNeverShowPasswordsOrTokens() throws IOException {
        CliRunner.Result login = cli.stdin(PASSWORD + "\n").run("--verbose", "login", "--username", "alice", "--password-stdin");
        assertThat(login.exit()).isZero();
        assertThat(login.err()).as("it is a verbose run").contains("[warden] > POST " + server.url() + "/v1/auth/token");
        assertNoSecrets(login);
        assertThat(Files.readString(home.resolve(".warden/config.yaml"))).contains(LOGIN_TOKEN);

        CliRunner.Result create = cli.stdin("").run("tokens", "create", "--name", "ci", "--role", "operator", "-n", "demo", "-v");
        assertThat(create.exit()).isZero();
        assertThat(server.requests().getLast().header("Authorization")).isEqualTo("Bearer " + LOGIN_TOKEN);
        assertThat(create.outLines()).as("the one intended token line").containsExactly(API_TOKEN);
        assertThat(create.err()).contains("[warden] > POST").doesNotContain(API_TOKEN).doesNotContain(LOGIN_TOKEN);

        CliRunner.Result user = cli.stdin(PASSWORD + "\n").run("users", "create", "bob", "--password-stdin", "-v");
        assertThat(user.exit()).isZero();
        assertNoSecrets(user);

        CliRunner.Result refused = cli.stdin(PASSWORD + "\n").run("users", "create", "bob", "--password-stdin", "-v");
        assertThat(refused.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(refused.err()).contains("  password: too common");
        assertNoSecrets(refused);

        CliRunner.Result passwd = cli.stdin(PASSWORD + "\n" + NEW_PASSWORD + "\n").run("users", "passwd", "--password-stdin", "-v");
        assertThat(passwd.exit()).isEqualTo(WardenCli.ERROR);
        assertNoSecrets(passwd);

        CliRunner.Result mismatch = cli.stdin("").prompter(new ScriptedTerminal(PASSWORD, NEW_PASSWORD))
                .run("users", "create", "bob", "-v");
        assertThat(mismatch.exit()).isEqualTo(WardenCli.ERROR);
        assertNoSecrets(mismatch);

        CliRunner.Result logout = cli.run("logout", "-v");
        assertThat(logout.exit()).isZero();
        assertNoSecrets(logout);

        CliRunner.Result view = cli.run("config", "view", "-v");
        assertNoSecrets(view);
    }
}
