package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and how failures are printed. */
class ErrorsTest {

    @TempDir
    Path home;

    /** A loopback port nobody listens on: bound once to get a free number, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableServerIsOneLineAndExitOne() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        CliRunner cli = new CliRunner(home).env("WARDEN_SERVER", url);

        CliRunner.Result result = cli.run("get", "tools");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: cannot reach Warden at " + url + ": connection refused");

        CliRunner.Result verbose = cli.run("get", "tools", "--verbose");
        assertThat(verbose.err())
                .contains("[warden] > GET " + url + "/v1/namespaces/default/tools?limit=500")
                .contains("at io.warden.cli.WardenClient");
    }

    @Test
    void problemsShowTitleDetailRequestIdAndFieldPaths() throws IOException {
        try (FakeWarden server = FakeWarden.start()) {
            server.on("GET", "/v1/namespaces/default/tools", (request, exchange) -> FakeWarden.respond(exchange, 400,
                    "application/problem+json", """
                    {"title":"Bad Request","status":400,"detail":"invalid label selector","errors":[{"path":"labelSelector","message":"unexpected ')'"}]}""",
                    "X-Request-Id", "from-header"));
            server.on("GET", "/v1/namespaces/default/agents", (request, exchange) -> FakeWarden.respond(exchange, 502,
                    "text/html", "<html><body>Bad Gateway</body></html>"));
            server.on("GET", "/v1/namespaces/default/workers", (request, exchange) -> FakeWarden.respond(exchange, 503,
                    "text/plain", "database\u001b[31m unavailable"));
            CliRunner cli = new CliRunner(home).env("WARDEN_SERVER", server.url());

            CliRunner.Result problem = cli.run("get", "tools", "-l", "a in (b");
            assertThat(problem.exit()).isEqualTo(WardenCli.ERROR);
            assertThat(problem.errLines()).containsExactly(
                    "error: Bad Request: invalid label selector (request id from-header)",
                    "  labelSelector: unexpected ')'");

            CliRunner.Result html = cli.run("get", "agents");
            assertThat(html.errLines()).containsExactly("error: HTTP 502");

            CliRunner.Result text = cli.run("get", "workers");
            assertThat(text.errLines()).as("control characters from the server are not printed")
                    .containsExactly("error: HTTP 503: database[31m unavailable");
        }
    }

    @Test
    void usageErrorsExitTwo() {
        CliRunner cli = new CliRunner(home);

        CliRunner.Result unknownOption = cli.run("get", "tools", "--frobnicate");
        assertThat(unknownOption.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(unknownOption.errLines()).containsExactly("error: Unknown option: '--frobnicate'", "See 'warden get --help'.");

        CliRunner.Result unknownCommand = cli.run("aply", "-f", "x");
        assertThat(unknownCommand.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(unknownCommand.err()).contains("Did you mean: warden apply");

        CliRunner.Result missingKind = cli.run("get");
        assertThat(missingKind.exit()).isEqualTo(WardenCli.USAGE);

        assertThat(cli.run("delete", "tools").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("completion", "fish").exit()).isEqualTo(WardenCli.USAGE);
    }

    @Test
    void helpAndNoArgumentsExitZero() {
        CliRunner cli = new CliRunner(home);

        CliRunner.Result bare = cli.run();
        assertThat(bare.exit()).isZero();
        assertThat(bare.out()).startsWith("Usage: warden ").contains("apply").contains("config");

        CliRunner.Result help = cli.run("get", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("-o, --output=FORMAT");
    }
}
