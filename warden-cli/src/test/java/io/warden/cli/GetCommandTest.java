package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What get refuses before sending anything (the server it is pointed at does not exist). Getting
 * from a server: warden-it.
 */
class GetCommandTest {

    @TempDir
    Path home;

    private CliRunner cli;

    @BeforeEach
    void start() {
        cli = new CliRunner(home).env("WARDEN_SERVER", CliRunner.unreachableServer());
    }

    @Test
    void anUnknownKindIsAUsageError() {
        CliRunner.Result result = cli.run("get", "gadgets");

        assertThat(result.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(result.errLines().getFirst()).startsWith("error: unknown kind \"gadgets\"; known kinds: namespaces (namespace, ns), roles (role)");
        assertThat(result.err()).doesNotContain("cannot reach");
    }

    @Test
    void anUnknownOutputFormatIsAUsageError() {
        CliRunner.Result result = cli.run("get", "tools", "-o", "xml");

        assertThat(result.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(result.err()).contains("-o").contains("xml");
    }
}
