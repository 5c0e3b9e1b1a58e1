package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Argument errors of setup and roles bind, found before anything is sent: the server these runs
 * point at does not exist, so a request would end in "cannot reach Warden" (exit 1), not exit 2.
 * The commands against a real server: warden-it.
 */
class IdentityArgumentsTest {

    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeEach
    void start() {
        cli = new CliRunner(home).env("WARDEN_SERVER", CliRunner.unreachableServer());
    }

    @Test
    void setupNeedsExactlyOneTokenSourceAndAUsername() {
        assertThat(cli.run("setup", "--username", "root", "--password-stdin").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("setup", "--token", "a", "--token-file", "f", "--username", "root").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("setup", "--token", "abc", "--password-stdin").exit()).as("--username is required").isEqualTo(WardenCli.USAGE);
    }

    @Test
    void rolesBindChecksItsArguments() {
        assertThat(cli.run("roles", "bind", "operator").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("roles", "bind", "operator", "--user", "a", "--token", "b").exit()).isEqualTo(WardenCli.USAGE);
        assertThat(cli.run("roles", "bind", "operator", "--user", "a", "--cluster", "-n", "demo").exit()).isEqualTo(WardenCli.USAGE);
        CliRunner.Result dotted = cli.run("roles", "bind", "operator", "--user", "john.doe");
        assertThat(dotted.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(dotted.errLines().getFirst()).startsWith("error: the binding would be named \"operator-user-john.doe\", which is not a valid name");
        assertThat(dotted.err()).doesNotContain("cannot reach");
    }
}
