package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The server as an operator runs it: restarts, configuration precedence, refusals at start. */
class ServerProcessTest {

    static void restartKeepsResources(TestDatabase db) throws Exception {
        List<String> args = CliEndToEndContract.serverArgs(db);
        int port = ServerProcess.freePort();
        Cli cli;
        Cli.Result applied;
        try (ServerProcess first = ServerProcess.start(port, args)) {
            cli = Cli.admin(first.server(), db.dataDir());
            applied = cli.run("apply", "-f", CliEndToEndContract.EXAMPLES.toString());
            assertThat(applied.exit()).as(applied.toString()).isZero();
            first.stopCleanly();
        }
        try (ServerProcess second = ServerProcess.start(port, args)) {
            var got = cli.run("get", "tools", "-n", "demo", "-o", "name");
            assertThat(got.exit()).as(got.toString()).isZero();
            assertThat(got.out()).contains("git-clone").contains("http-status");
            var again = cli.run("apply", "-f", CliEndToEndContract.EXAMPLES.toString());
            assertThat(again.out().lines().toList()).as("every example, as many as the first apply reported")
                    .hasSameSizeAs(applied.out().lines().toList()).allMatch(l -> l.endsWith("unchanged"));
        }
    }

    @Test
    void sqliteResourcesSurviveARestart() throws Exception {
        restartKeepsResources(TestDatabase.sqlite());
    }

    @Nested
    @EnabledIfPostgres
    class OnPostgres {
        @Test
        void postgresResourcesSurviveARestart() throws Exception {
            restartKeepsResources(TestDatabase.postgres());
        }
    }

    @Test
    void flagsWinOverEnvironmentWhichWinsOverDefaults() throws Exception {
        Path home = Files.createTempDirectory("warden-home-");
        int envPort = ServerProcess.freePort();
        int flagPort = ServerProcess.freePort();
        // Environment only: WARDEN_HOME picks the data directory, WARDEN_PORT the port.
        try (ServerProcess s = ServerProcess.start(List.of(),
                Map.of("WARDEN_HOME", home.toString(), "WARDEN_PORT", Integer.toString(envPort)), envPort)) {
            assertThat(home.resolve("warden.db")).exists();
        }
        Path flagDir = Files.createTempDirectory("warden-flag-").resolve("data");
        Process p = ServerProcess.launch(List.of("--data-dir", flagDir.toString(), "--port", Integer.toString(flagPort)),
                Map.of("WARDEN_HOME", home.toString(), "WARDEN_PORT", Integer.toString(envPort)));
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            boolean ready = false;
            for (int i = 0; i < 300 && !ready && p.isAlive(); i++) {
                try {
                    ready = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + flagPort + "/readyz")).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (java.io.IOException e) {
                    p.waitFor(200, TimeUnit.MILLISECONDS);
                }
            }
            assertThat(ready).as("listening on the flag's port, not WARDEN_PORT").isTrue();
            assertThat(flagDir.resolve("warden.db")).as("data in the flag's directory").exists();
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aNonLoopbackAddressWithoutTlsIsRefusedAtStart() throws Exception {
        Path dir = Files.createTempDirectory("warden-bind-").resolve("data");
        Process p = ServerProcess.launch(List.of("--data-dir", dir.toString(), "--bind", "0.0.0.0",
                "--port", Integer.toString(ServerProcess.freePort())), Map.of());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits by itself").isTrue();
        assertThat(p.exitValue()).isNotZero();
        assertThat(Files.readString(ServerProcess.logOf(p))).contains("without TLS");
    }

    @Test
    void anUnknownFlagIsAUsageError() throws Exception {
        Process p = ServerProcess.launch(List.of("--prot", "8080"), Map.of());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(ServerProcess.logOf(p))).contains("unknown option '--prot'");
    }
}
