package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and how failures are printed. */
class ErrorsTest {

    @TempDir
    Path home;

    @Test
    void anUnreachableServerIsOneLineAndExitOne() {
        String url = CliRunner.unreachableServer();
        CliRunner cli = new CliRunner(home).env("WARDEN_SERVER", url);

        CliRunner.Result result = cli.run("get", "tools");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: cannot reach Warden at " + url + ": connection refused");

        CliRunner.Result verbose = cli.run("get", "tools", "--verbose");
        assertThat(verbose.err())
                .contains("[warden] > GET " + url + "/v1/namespaces/default/tools?limit=500")
                .contains("at io.warden.cli.WardenClient");
    }

    /** Problems from the real server (title, detail, request id, field paths): warden-it. */
    @Test
    void aProxyAnswerOfItsOwnIsOneLine() throws IOException {
        try (BrokenProxy html = BrokenProxy.answering(502, "text/html", "<html><body>Bad Gateway</body></html>");
             BrokenProxy text = BrokenProxy.answering(503, "text/plain", "database\u001b[31m unavailable");
             BrokenProxy tagged = BrokenProxy.answering(504, "text/plain", "upstream timed out", "X-Request-Id", "from-header")) {

            CliRunner.Result fromHtml = new CliRunner(home).env("WARDEN_SERVER", html.url()).run("get", "agents");
            assertThat(fromHtml.exit()).isEqualTo(WardenCli.ERROR);
            assertThat(fromHtml.errLines()).containsExactly("error: HTTP 502");

            CliRunner.Result fromText = new CliRunner(home).env("WARDEN_SERVER", text.url()).run("get", "workers");
            assertThat(fromText.exit()).isEqualTo(WardenCli.ERROR);
            assertThat(fromText.errLines()).as("control characters from the server are not printed")
                    .containsExactly("error: HTTP 503: database[31m unavailable");

            CliRunner.Result fromTagged = new CliRunner(home).env("WARDEN_SERVER", tagged.url()).run("get", "tools");
            assertThat(fromTagged.errLines()).as("a request id the proxy put in a header is shown")
                    .containsExactly("error: HTTP 504: upstream timed out (request id from-header)");
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
