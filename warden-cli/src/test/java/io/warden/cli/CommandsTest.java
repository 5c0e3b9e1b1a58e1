package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** version without a server, and completion. describe, delete and version with a server: warden-it. */
class CommandsTest {

    @TempDir
    Path home;

    @Test
    void versionWithoutAServerWarnsButSucceeds() {
        String server = CliRunner.unreachableServer();
        CliRunner cli = new CliRunner(home).env("WARDEN_SERVER", server);

        CliRunner.Result result = cli.run("version");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("Client Version: dev");
        assertThat(result.errLines()).containsExactly("warning: cannot reach Warden at " + server + ": connection refused");

        CliRunner.Result clientOnly = cli.run("version", "--client");
        assertThat(clientOnly.exit()).isZero();
        assertThat(clientOnly.err()).isEmpty();
    }

    @Test
    void completionPrintsAScriptThatKnowsTheCommandsAndKinds() {
        CliRunner cli = new CliRunner(home);
        for (String shell : new String[] {"bash", "zsh"}) {
            CliRunner.Result result = cli.run("completion", shell);

            assertThat(result.exit()).isZero();
            assertThat(result.out())
                    .contains("complete -F _complete_warden")
                    .contains("apply").contains("describe").contains("use-context")
                    .contains("rolebindings")
                    .contains("audit").contains("public-key").contains("--offline")
                    .contains("ZSH_VERSION");
        }
    }
}
