package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What apply finds wrong before sending anything: the server it is pointed at does not exist, so a
 * request would end in "cannot reach Warden" instead. Applying to a server: warden-it.
 */
class ApplyCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path examples;

    private CliRunner cli;

    @BeforeEach
    void start() {
        cli = new CliRunner(home).env("WARDEN_SERVER", CliRunner.unreachableServer());
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(examples.resolve(name), text);
    }

    @Test
    void anInvalidDocumentStopsTheRunBeforeAnyRequest() throws IOException {
        write("a-good.yaml", "kind: Namespace\nmetadata: {name: demo}\n");
        write("b-bad.yaml", "kind: Tool\nmetadata: {name: fine}\n---\nkind: Tool\nspec: {}\n");

        CliRunner.Result result = cli.run("apply", "-f", examples.toString());

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly(
                "error: " + examples.resolve("b-bad.yaml") + " (document 2): missing metadata",
                "nothing was applied");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aNamespaceFlagThatContradictsTheManifestIsRefused() throws IOException {
        write("tool.yaml", "kind: Tool\nmetadata: {name: x, namespace: demo}\n");

        CliRunner.Result result = cli.run("apply", "-f", examples.toString(), "-n", "prod");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines().getFirst()).contains("does not match --namespace \"prod\"");
        assertThat(result.err()).doesNotContain("cannot reach");
    }

    @Test
    void anEmptyDirectoryIsAnError() {
        CliRunner.Result result = cli.run("apply", "-f", examples.toString());

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: no objects passed to apply");
    }

    @Test
    void withoutFilesItIsAUsageError() {
        CliRunner.Result result = cli.run("apply");

        assertThat(result.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(result.err()).startsWith("error: Missing required option: '--filename=FILE|DIR|-'");
    }
}
