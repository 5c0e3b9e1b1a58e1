package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.cli.WardenCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Which server a command goes to, and which gets the token, with two real servers: A (its admin is
 * "admin") and B (its admin is "admin-b"). Version requests are told apart by the --verbose log, which
 * names the URL of every request; whoami by the user the server says the token belongs to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConfigEndToEndTest {

    private ServerProcess serverA;
    private ServerProcess serverB;
    private String a;
    private String b;
    private String tokenA;
    private String tokenB;

    @BeforeAll
    void start() throws Exception {
        Path dataA = Files.createTempDirectory("warden-it-").resolve("data");
        Path dataB = Files.createTempDirectory("warden-it-").resolve("data");
        serverA = ServerProcess.startSqlite(dataA);
        serverB = ServerProcess.startSqlite(dataB);
        a = serverA.server();
        b = serverB.server();
        tokenA = Cli.admin(a, dataA).token();
        Cli adminB = new Cli(b);
        Cli.Result setupB = adminB.runWithInput(Cli.ADMIN_PASSWORD + "\n", "setup", "--token-file",
                dataB.resolve("setup-token").toString(), "--username", "admin-b", "--password-stdin");
        assertThat(setupB.exit()).as(setupB.toString()).isZero();
        tokenB = adminB.login("admin-b", Cli.ADMIN_PASSWORD).token();
    }

    @AfterAll
    void stop() throws Exception {
        if (serverA != null) {
            serverA.stopCleanly();
        }
        if (serverB != null) {
            serverB.stopCleanly();
        }
    }

    /** Checks that {@code version} went to {@code server} and that server answered. */
    private static void answeredBy(Cli.Result version, String server) {
        assertThat(version.exit()).as(version.toString()).isZero();
        assertThat(version.err()).as(version.toString()).contains("[warden] > GET " + server + "/v1/version\n");
        assertThat(version.err().lines().filter(l -> l.startsWith("[warden] > ")).count()).isEqualTo(1);
        assertThat(version.outLines()).contains("API Version:    warden.dev/v1", "Database:       sqlite");
    }

    @Test
    void serverComesFromFlagThenEnvironmentThenContext() {
        Cli cli = Cli.withoutServer();
        cli.run("config", "set-context", "local", "--server", a);

        answeredBy(cli.run("version", "-v"), a);

        Cli withEnv = cli.env("WARDEN_SERVER", b);
        answeredBy(withEnv.run("version", "-v"), b);

        answeredBy(withEnv.run("version", "--server", a, "-v"), a);
        answeredBy(withEnv.run("--server", a, "version", "-v"), a);
    }

    @Test
    void contextFlagPicksAnotherContext() {
        Cli cli = Cli.withoutServer().writeConfig("""
                currentContext: a
                contexts:
                  - name: a
                    server: %s
                    token: %s
                  - name: b
                    server: %s
                    token: %s
                """.formatted(a, tokenA, b, tokenB));

        answeredBy(cli.run("version", "--context", "b", "-v"), b);
        assertThat(cli.run("whoami", "--context", "b").outLines()).contains("User:           admin-b");
        assertThat(cli.run("whoami").outLines()).contains("User:           admin");

        Cli.Result missing = cli.run("version", "--context", "c");
        assertThat(missing.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(missing.errLines()).contains("error: no context named \"c\" in " + cli.configFile());
    }

    @Test
    void theTokenIsSentOnlyToTheContextsOwnServer() {
        Cli own = Cli.withoutServer().writeConfig("""
                currentContext: local
                contexts:
                  - name: local
                    server: %s
                    token: %s
                """.formatted(a, tokenA));
        assertThat(own.run("whoami").outLines()).as("sent to its own server").contains("User:           admin");

        // Context "local" is A's, but holds a token that B would accept: --server B must not get it.
        Cli crossed = Cli.withoutServer().writeConfig("""
                currentContext: local
                contexts:
                  - name: local
                    server: %s
                    token: %s
                """.formatted(a, tokenB));
        Cli.Result toB = crossed.run("whoami", "--server", b);

        assertThat(toB.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(toB.errLines()).singleElement().asString().as("B saw no credential at all")
                .startsWith("error: not logged in (run: warden login): Unauthenticated: send a valid API token");
        assertThat(crossed.run("whoami", "--server", a).errLines()).singleElement().asString()
                .as("A got B's token and refused it").contains("invalid, expired or revoked credential");
    }
}
