package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.cli.Prompter;
import io.warden.cli.WardenCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * setup (at the terminal), login, logout and whoami against the real server, and the canary run
 * that looks for passwords and tokens in everything the CLI prints.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityEndToEndTest {

    static final String PASSWORD = "correct-horse-battery-staple";
    private static final String REQUEST_ID = " \\(request id [0-9a-f-]{36}\\)";

    private ServerProcess server;
    private Wire wire;
    private String url;
    private Http admin;

    // Setup works once per server, so @BeforeAll plays the whole story and the setup tests check what it printed and sent.
    private Cli.Result wrongToken;
    private Cli.Result mismatch;
    private Cli.Result noTerminal;
    private List<Wire.Request> sentByRefusals;
    private ScriptedTerminal terminal;
    private Cli.Result setup;
    private List<Wire.Request> sentBySetup;
    private boolean tokenFileLeftAfterSetup;
    private Cli.Result setUpAlready;

    @BeforeAll
    void start() throws Exception {
        Path dataDir = Files.createTempDirectory("warden-it-").resolve("data");
        server = ServerProcess.startSqlite(dataDir);
        wire = Wire.to(server.port);
        url = wire.url();
        Path tokenFile = dataDir.resolve("setup-token");
        Cli cli = new Cli(url);
        String password = Cli.ADMIN_PASSWORD;

        wrongToken = cli.runWithInput(password + "\n", "setup", "--token", "x", "--username", "admin", "--password-stdin");
        int before = wire.requests().size();
        mismatch = cli.with(c -> c.withPrompter(new ScriptedTerminal(password, "something-else-entirely")))
                .run("setup", "--token-file", tokenFile.toString(), "--username", "admin");
        noTerminal = cli.with(c -> c.withPrompter(Prompter.NONE)).run("setup", "--token-file", tokenFile.toString(), "--username", "admin");
        sentByRefusals = wire.requestsSince(before);
        terminal = new ScriptedTerminal(password, password);
        before = wire.requests().size();
        setup = cli.with(c -> c.withPrompter(terminal)).run("setup", "--token-file", tokenFile.toString(), "--username", "admin");
        sentBySetup = wire.requestsSince(before);
        tokenFileLeftAfterSetup = Files.exists(tokenFile);
        setUpAlready = cli.runWithInput(password + "\n", "setup", "--token", "x", "--username", "a", "--password-stdin");

        admin = new Http(server.server(), Cli.admin(url, dataDir).token());
        admin.namespace("demo");
        admin.namespace("staging-long");
        for (String role : List.of("viewer", "auditor", "operator")) {
            admin.apply("/v1/roles/" + role, "{'apiVersion':'warden.dev/v1','kind':'Role','metadata':{'name':'" + role + "'},"
                    + "'spec':{'rules':[{'resources':['tools'],'verbs':['get']}]}}");
        }
        createUser("alice", PASSWORD);
        // alice is an admin, so that she may create a cluster-wide token (whoami of a token, below).
        admin.apply("/v1/clusterrolebindings/alice-admin", "{'apiVersion':'warden.dev/v1','kind':'ClusterRoleBinding',"
                + "'metadata':{'name':'alice-admin'},'spec':{'roleRef':{'name':'admin'},'subjects':[{'kind':'User','name':'alice'}]}}");
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

    private void createUser(String name, String password) {
        Http.Reply reply = admin.post("/v1/users", "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    /** A personal token of {@code user}, got without the CLI. */
    private String personalToken(String user, String password) {
        Http.Reply reply = new Http(server.server(), null).post("/v1/auth/token",
                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().path("token").asString();
    }

    private int whoamiStatus(String token) {
        return new Http(server.server(), token).get("/v1/auth/whoami").status();
    }

    private static JsonNode body(Wire.Request request) {
        return Http.JSON.readTree(request.body());
    }

    /** A CLI whose config file holds context "local" for {@code server}, namespace demo, and {@code token} (if any). */
    private static Cli withContext(String server, String token) {
        return Cli.withoutServer().writeConfig("""
                currentContext: local
                contexts:
                  - name: local
                    server: %s
                    namespace: demo
                %s""".formatted(server, token == null ? "" : "    token: " + token + "\n"));
    }

    private static JsonNode context(String name, String server, String namespace, String token) {
        var node = Http.JSON.createObjectNode().put("name", name).put("server", server);
        if (namespace != null) {
            node.put("namespace", namespace);
        }
        if (token != null) {
            node.put("token", token);
        }
        return node;
    }

    // --- setup (at the terminal; from stdin: AdminCommandsEndToEndTest) ----------------------

    @Test
    void aWrongSetupTokenIsRefused() {
        assertThat(wrongToken.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(wrongToken.errLines()).singleElement().asString()
                .matches("error: the server refused the setup token: Unauthenticated: wrong setup token" + REQUEST_ID);
    }

    @Test
    void setupAsksTwiceAtTheTerminal() {
        assertThat(mismatch.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(mismatch.errLines()).containsExactly("error: the passwords do not match; nothing was changed");
        assertThat(noTerminal.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(noTerminal.errLines().getFirst())
                .isEqualTo("error: there is no terminal to ask for the password on; pass it on stdin with --password-stdin");
        assertThat(sentByRefusals).as("nothing was sent").isEmpty();

        assertThat(setup.exit()).as(setup.toString()).isZero();
        assertThat(setup.outLines()).containsExactly("admin admin created; now run: warden login --username admin");
        assertThat(terminal.prompts()).containsExactly("Password for admin: ", "Repeat the password: ");
        assertThat(sentBySetup).hasSize(1);
        Wire.Request request = sentBySetup.getFirst();
        assertThat(request.line()).isEqualTo("POST /v1/setup");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Authorization")).isNull();
        assertThat(body(request).path("username").asString()).isEqualTo("admin");
        assertThat(body(request).path("password").asString()).isEqualTo(Cli.ADMIN_PASSWORD);
        assertThat(tokenFileLeftAfterSetup).as("the token worked, once").isFalse();
        assertThat(new Http(server.server(), null).post("/v1/auth/token",
                "{\"username\":\"admin\",\"password\":\"" + Cli.ADMIN_PASSWORD + "\"}").status())
                .as("the admin logs in with the password typed at the terminal").isEqualTo(201);
    }

    @Test
    void aServerThatIsSetUpAlreadySaysSo() {
        assertThat(setUpAlready.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(setUpAlready.errLines().getFirst()).startsWith("error: this server is set up already");
    }

    // --- login --------------------------------------------------------------------------------

    @Test
    void loginStoresTheTokenOwnerOnlyAndTheNextCommandSendsIt() throws Exception {
        Cli cli = new Cli(url);
        int before = wire.requests().size();

        Cli.Result login = cli.runWithInput(PASSWORD + "\n", "login", "--username", "alice", "--password-stdin",
                "--name", "laptop", "--ttl", "30d");

        assertThat(login.exit()).as(login.toString()).isZero();
        String token = cli.token();
        JsonNode laptop = null;
        for (JsonNode t : Http.JSON.readTree(cli.run("tokens", "list", "-o", "json").out()).path("items")) {
            laptop = t.path("name").asString().equals("laptop") ? t : laptop;
        }
        assertThat(laptop).as("alice's token named laptop").isNotNull();
        assertThat(login.outLines()).containsExactly("logged in as alice (token expires " + laptop.path("expiresAt").asString() + ")");
        assertThat(login.errLines()).containsExactly("Context \"default\" created for " + url + " in " + cli.configFile()
                + "; it is now the current context.");
        assertThat(login.out() + login.err()).doesNotContain(token).doesNotContain(PASSWORD);

        Wire.Request request = wire.requestsSince(before).getFirst();
        assertThat(request.toString()).isEqualTo("POST /v1/auth/token");
        assertThat(request.header("Authorization")).isNull();
        JsonNode body = body(request);
        assertThat(body.path("username").asString()).isEqualTo("alice");
        assertThat(body.path("password").asString()).isEqualTo(PASSWORD);
        assertThat(body.path("name").asString()).isEqualTo("laptop");
        assertThat(body.path("ttl").asString()).isEqualTo("30d");

        assertThat(Files.getPosixFilePermissions(cli.configFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(cli.config().path("currentContext").asString()).isEqualTo("default");
        assertThat(cli.config().path("contexts")).containsExactly(context("default", url, null, token));

        assertThat(cli.run("whoami").exit()).isZero();
        assertThat(wire.requests().getLast().header("Authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void loginReplacesTheTokenOfTheCurrentContextAndKeepsTheRest() throws Exception {
        Cli cli = withContext(url, "wdn_old");
        int before = wire.requests().size();

        Cli.Result login = cli.with(c -> c.withPrompter(new ScriptedTerminal("alice", PASSWORD))).run("login");

        assertThat(login.exit()).as(login.toString()).isZero();
        assertThat(login.err()).isEmpty();
        assertThat(wire.requestsSince(before).getFirst().header("Authorization")).as("a stale token is not sent to log in").isNull();
        String token = cli.token();
        assertThat(token).startsWith("wdn_").isNotEqualTo("wdn_old");
        assertThat(cli.config().path("contexts")).containsExactly(context("local", url, "demo", token));
        assertThat(Files.getPosixFilePermissions(cli.configFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(whoamiStatus(token)).isEqualTo(200);
    }

    @Test
    void loginRefusesToStoreATokenInAContextOfAnotherServer() {
        Cli cli = withContext("https://warden.example", null).env("WARDEN_SERVER", url);
        int before = wire.requests().size();

        Cli.Result login = cli.runWithInput(PASSWORD + "\n", "login", "--username", "alice", "--password-stdin");

        assertThat(login.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(login.errLines().getFirst()).isEqualTo("error: context \"local\" is for https://warden.example, not "
                + url + "; a token from " + url + " is not stored there");
        assertThat(wire.requestsSince(before)).as("no token is issued that could not be stored").isEmpty();
    }

    @Test
    void loginFailuresAndBadInput() {
        Cli cli = new Cli(url);
        int before = wire.requests().size();

        Cli.Result wrong = cli.runWithInput("not-" + PASSWORD + "\n", "login", "--username", "alice", "--password-stdin");
        assertThat(wrong.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(wrong.errLines()).singleElement().asString()
                .matches("error: login failed: Unauthenticated: unknown user or wrong password" + REQUEST_ID);
        assertThat(cli.configFile()).doesNotExist();

        Cli.Result noUser = cli.runWithInput(PASSWORD + "\n", "login", "--password-stdin");
        assertThat(noUser.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(noUser.errLines().getFirst()).isEqualTo("error: missing --username (there is no terminal to ask for it on)");

        Cli.Result emptyStdin = cli.run("login", "--username", "alice", "--password-stdin");
        assertThat(emptyStdin.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(emptyStdin.errLines().getFirst()).startsWith("error: stdin ended before a password was read");

        assertThat(cli.run("login", "--username", "a", "--password-stdin", "--ttl", "1w").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(wire.requestsSince(before)).hasSize(1);
    }

    // --- logout -------------------------------------------------------------------------------

    @Test
    void logoutRevokesAndRemovesTheToken() {
        String token = personalToken("alice", PASSWORD);
        Cli cli = withContext(url, token);
        int before = wire.requests().size();

        Cli.Result logout = cli.run("logout");

        assertThat(logout.exit()).as(logout.toString()).isZero();
        assertThat(logout.outLines()).containsExactly("logged out; token removed from context \"local\"");
        Wire.Request request = wire.requestsSince(before).getFirst();
        assertThat(request.line()).isEqualTo("POST /v1/auth/logout");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + token);
        assertThat(cli.config().path("contexts")).containsExactly(context("local", url, "demo", null));
        assertThat(whoamiStatus(token)).as("revoked").isEqualTo(401);

        Cli.Result again = cli.run("logout");
        assertThat(again.exit()).isZero();
        assertThat(again.errLines()).containsExactly("Not logged in: context \"local\" holds no token.");
        assertThat(wire.requestsSince(before)).hasSize(1);
    }

    @Test
    void logoutRemovesTheTokenEvenWhenTheServerAnswers401() throws Exception {
        String token = personalToken("alice", PASSWORD);
        assertThat(new Http(server.server(), token).post("/v1/auth/logout", "{}").status()).isEqualTo(204);
        Cli cli = withContext(url, token);

        Cli.Result logout = cli.run("logout");

        assertThat(logout.exit()).isZero();
        assertThat(logout.errLines()).singleElement().asString().matches(
                "warning: the server did not accept the token \\(Unauthenticated: invalid, expired or revoked credential"
                        + REQUEST_ID + "\\); it had expired or been revoked already\\. Removing it from context \"local\" anyway\\.");
        assertThat(logout.outLines()).containsExactly("logged out; token removed from context \"local\"");
        assertThat(Files.readString(cli.configFile())).doesNotContain(token).doesNotContain("token:");
    }

    @Test
    void logoutRemovesTheTokenButFailsWhenTheServerCouldNotRevokeIt() throws Exception {
        // A scoped API token cannot log itself out (it is revoked by id): a refusal other than 401.
        Http.Reply created = admin.post("/v1/tokens", "{\"name\":\"scoped-logout\",\"role\":\"viewer\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.json().path("token").asString();
        Cli cli = withContext(url, token);

        Cli.Result logout = cli.run("logout");

        assertThat(logout.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(logout.errLines().getFirst()).matches("error: could not revoke the token on the server: Bad request: "
                + "a scoped token is revoked with DELETE /v1/tokens/\\{id\\}" + REQUEST_ID);
        assertThat(Files.readString(cli.configFile())).doesNotContain(token);
        assertThat(whoamiStatus(token)).as("as the message says, it may still be valid").isEqualTo(200);
    }

    @Test
    void logoutDoesNotSendTheTokenToAnotherServer() throws Exception {
        String token = personalToken("alice", PASSWORD);
        Cli cli = withContext("https://warden.example", token).env("WARDEN_SERVER", url);
        int before = wire.requests().size();

        Cli.Result logout = cli.run("logout");

        assertThat(logout.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(logout.errLines().getFirst()).isEqualTo("error: the token of context \"local\" is for https://warden.example, not "
                + url + "; nothing was changed");
        assertThat(wire.requestsSince(before)).isEmpty();
        assertThat(Files.readString(cli.configFile())).contains(token);
    }

    // --- whoami -------------------------------------------------------------------------------

    @Test
    void whoamiShowsUserViaRolesAndBindings() {
        // A cluster-wide token of alice's with role viewer, given auditor everywhere and a role in two namespaces.
        admin.apply("/v1/clusterrolebindings/ci-deploy-auditor", "{'apiVersion':'warden.dev/v1','kind':'ClusterRoleBinding',"
                + "'metadata':{'name':'ci-deploy-auditor'},'spec':{'roleRef':{'name':'auditor'},'subjects':[{'kind':'Token','name':'ci-deploy'}]}}");
        admin.apply("/v1/namespaces/demo/rolebindings/ci-deploy", "{'apiVersion':'warden.dev/v1','kind':'RoleBinding',"
                + "'metadata':{'name':'ci-deploy'},'spec':{'roleRef':{'name':'operator'},'subjects':[{'kind':'Token','name':'ci-deploy'}]}}");
        admin.apply("/v1/namespaces/staging-long/rolebindings/ci-deploy", "{'apiVersion':'warden.dev/v1','kind':'RoleBinding',"
                + "'metadata':{'name':'ci-deploy'},'spec':{'roleRef':{'name':'reader'},'subjects':[{'kind':'Token','name':'ci-deploy'}]}}");
        Http.Reply created = new Http(server.server(), personalToken("alice", PASSWORD))
                .post("/v1/tokens", "{\"name\":\"ci-deploy\",\"role\":\"viewer\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        Cli cli = withContext(url, created.json().path("token").asString());

        Cli.Result table = cli.run("whoami");

        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).isEqualTo("""
                User:           alice
                Token:          ci-deploy
                Via:            token
                Cluster roles:  viewer, auditor
                Bindings:
                  NAMESPACE      ROLE
                  demo           operator
                  staging-long   reader
                """);

        Cli.Result json = cli.run("whoami", "-o", "json");
        assertThat(Http.JSON.readTree(json.out()).path("bindings").size()).isEqualTo(2);
        assertThat(json.out()).startsWith("{\n  \"kind\": \"token\",");
    }

    @Test
    void whoamiOfAnAdminWithoutBindingsAndOfNobody() {
        createUser("root", PASSWORD);
        admin.apply("/v1/clusterrolebindings/root-admin", "{'apiVersion':'warden.dev/v1','kind':'ClusterRoleBinding',"
                + "'metadata':{'name':'root-admin'},'spec':{'roleRef':{'name':'admin'},'subjects':[{'kind':'User','name':'root'}]}}");
        Cli root = new Cli(url).login("root", PASSWORD);

        assertThat(root.run("whoami").outLines()).containsExactly(
                "User:           root",
                "Via:            token",
                "Cluster roles:  admin",
                "Bindings:       <none>");

        Cli.Result nobody = new Cli(url).run("whoami");
        assertThat(nobody.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(nobody.errLines()).singleElement().asString().matches("error: not logged in \\(run: warden login\\): "
                + "Unauthenticated: send a valid API token \\(Authorization: Bearer \\.\\.\\.\\) or log in" + REQUEST_ID);
    }

    // --- secrets ------------------------------------------------------------------------------

    /**
     * Canaries: recognisable passwords and tokens go through login, tokens create, users create,
     * passwd and logout with --verbose, also when the server refuses, and must show up nowhere in
     * the output but in the one line that is meant to carry a token.
     */
    @Test
    void verboseRunsNeverShowPasswordsOrTokens() throws Exception {
        String password = "CANARY-PASSWORD-7f3a9c";
        String newPassword = "CANARY-NEW-PASSWORD-51be02";
        String tooShort = "CANARY-9c1";
        createUser("canary", password);
        admin.apply("/v1/clusterrolebindings/canary-admin", "{'apiVersion':'warden.dev/v1','kind':'ClusterRoleBinding',"
                + "'metadata':{'name':'canary-admin'},'spec':{'roleRef':{'name':'admin'},'subjects':[{'kind':'User','name':'canary'}]}}");
        Cli cli = new Cli(url);
        List<Cli.Result> runs = new ArrayList<>();

        Cli.Result login = cli.runWithInput(password + "\n", "--verbose", "login", "--username", "canary", "--password-stdin");
        runs.add(login);
        assertThat(login.exit()).as(login.toString()).isZero();
        assertThat(login.err()).as("it is a verbose run").contains("[warden] > POST " + url + "/v1/auth/token");
        String loginToken = cli.token();
        assertThat(Files.readString(cli.configFile())).contains(loginToken);

        Cli.Result create = cli.run("tokens", "create", "--name", "canary-ci", "--role", "operator", "-n", "demo", "-v");
        assertThat(create.exit()).as(create.toString()).isZero();
        assertThat(wire.requests().getLast().header("Authorization")).isEqualTo("Bearer " + loginToken);
        String apiToken = create.out().strip();
        assertThat(apiToken).matches("wdn_[A-Za-z0-9_-]{43}");
        assertThat(create.outLines()).as("the one intended token line").containsExactly(apiToken);
        assertThat(create.err()).contains("[warden] > POST").doesNotContain(apiToken).doesNotContain(loginToken);

        Cli.Result user = cli.runWithInput(password + "\n", "users", "create", "canary-bob", "--password-stdin", "-v");
        runs.add(user);
        assertThat(user.exit()).as(user.toString()).isZero();

        Cli.Result exists = cli.runWithInput(password + "\n", "users", "create", "canary-bob", "--password-stdin", "-v");
        runs.add(exists);
        assertThat(exists.exit()).isEqualTo(WardenCli.ERROR);

        Cli.Result refused = cli.runWithInput(tooShort + "\n", "users", "create", "canary-carol", "--password-stdin", "-v");
        runs.add(refused);
        assertThat(refused.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(refused.err()).contains("  password: Use at least 12 characters.");

        Cli.Result wrongCurrent = cli.runWithInput(newPassword + "\n" + password + "\n", "users", "passwd", "--password-stdin", "-v");
        runs.add(wrongCurrent);
        assertThat(wrongCurrent.exit()).isEqualTo(WardenCli.ERROR);

        Cli.Result mismatch = cli.with(c -> c.withPrompter(new ScriptedTerminal(password, newPassword)))
                .run("users", "create", "canary-dave", "-v");
        runs.add(mismatch);
        assertThat(mismatch.exit()).isEqualTo(WardenCli.ERROR);

        Cli.Result passwd = cli.runWithInput(password + "\n" + newPassword + "\n", "users", "passwd", "--password-stdin", "-v");
        runs.add(passwd);
        assertThat(passwd.exit()).as(passwd.toString()).isZero();

        // passwd revoked the login token: logout meets a 401, warns and still removes it.
        Cli.Result logout = cli.run("logout", "-v");
        runs.add(logout);
        assertThat(logout.exit()).as(logout.toString()).isZero();
        assertThat(logout.err()).contains("warning: the server did not accept the token");

        runs.add(cli.run("config", "view", "-v"));
        for (Cli.Result run : runs) {
            for (String secret : List.of(password, newPassword, tooShort, loginToken, apiToken)) {
                assertThat(run.out()).as("stdout").doesNotContain(secret);
                assertThat(run.err()).as("stderr").doesNotContain(secret);
            }
        }
        assertThat(create.out() + create.err()).doesNotContain(password).doesNotContain(newPassword).doesNotContain(loginToken);
    }
}
