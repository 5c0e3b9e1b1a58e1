package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code run}, {@code tasks} and {@code workers} decide before asking a server: each case here
 * runs against a server nobody listens on, so a command that sent anything would fail with
 * "cannot reach Warden" instead of the error it is checked for. Against the real server:
 * warden-it's TaskCommandsEndToEndTest.
 */
class TaskCommandsTest {

    @TempDir
    Path dir;

    private CliRunner cli;

    @BeforeEach
    void setUp() {
        cli = new CliRunner(dir).env("WARDEN_SERVER", CliRunner.unreachableServer());
    }

    /** Runs a command that must fail with a usage error; returns the first line of stderr. */
    private String usageError(String... args) {
        CliRunner.Result result = cli.run(args);
        assertThat(result.exit()).as(result.err()).isEqualTo(WardenCli.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines().getLast()).startsWith("See 'warden ");
        return result.errLines().getFirst();
    }

    @Test
    void argsThatAreNotAJsonObjectAreAUsageError() throws IOException {
        assertThat(usageError("run", "echo", "--args", "{\"text\": "))
                .startsWith("error: --args is not valid JSON: Unexpected end-of-input").endsWith("(line 1, column 10)");
        assertThat(usageError("run", "echo", "--args", "{text: 1}"))
                .startsWith("error: --args is not valid JSON: Unexpected character ('t'");
        assertThat(usageError("run", "echo", "--args", "{} {}")).as("text after the object")
                .startsWith("error: --args is not valid JSON: Trailing token");
        assertThat(usageError("run", "echo", "--args", "{\"a\": 1, \"a\": 2}")).as("a key twice")
                .startsWith("error: --args is not valid JSON: Duplicate Object property \"a\"");
        assertThat(usageError("run", "echo", "--args", "[\"hi\"]"))
                .isEqualTo("error: --args must be a JSON object, e.g. --args '{\"url\": \"https://...\"}', not an array");
        assertThat(usageError("run", "echo", "--args", "  "))
                .isEqualTo("error: --args is empty; give a JSON object, e.g. --args '{\"url\": \"https://...\"}'");

        Path file = Files.writeString(dir.resolve("args.json"), "{\"text\": \"hi\",}");
        assertThat(usageError("run", "echo", "--args", "@" + file))
                .startsWith("error: --args from " + file + " is not valid JSON: Unexpected character ('}'");
        assertThat(usageError("run", "echo", "--args", "@" + dir.resolve("missing.json")))
                .isEqualTo("error: cannot read --args from " + dir.resolve("missing.json") + ": no such file");
        assertThat(cli.stdin("\"hi\"").run("run", "echo", "--args", "-").errLines().getFirst())
                .isEqualTo("error: --args from stdin must be a JSON object, e.g. --args '{\"url\": \"https://...\"}', not a string");
    }

    @Test
    void validArgsGetAsFarAsTheServer() throws IOException {
        Path file = Files.writeString(dir.resolve("args.json"), "{\"text\": \"hi\"}\n");

        List<String[]> commands = List.of(new String[] {"run", "echo", "--args", "{\"text\": \"hi\"}"},
                new String[] {"run", "echo", "--args", "@" + file}, new String[] {"run", "echo", "--args", "-"},
                new String[] {"run", "echo"});
        for (String[] command : commands) {
            CliRunner.Result result = cli.stdin("{\"text\": \"hi\"}").run(command);
            assertThat(result.exit()).as(result.err()).isEqualTo(WardenCli.ERROR);
            assertThat(result.errLines()).singleElement().asString().startsWith("error: cannot reach Warden at ");
        }
    }

    @Test
    void optionsThatDoNotGoTogether() {
        assertThat(usageError("run", "echo", "--wait", "--follow")).isEqualTo("error: give --wait or --follow, not both");
        assertThat(usageError("run", "echo", "-f", "-o", "json"))
                .isEqualTo("error: --follow prints the task's output; -o goes with --wait or alone");
        assertThat(usageError("workers", "register", "w", "--force"))
                .isEqualTo("error: --force goes with --credential-file");
    }

    @Test
    void keyValueListsAreChecked() {
        assertThat(usageError("run", "echo", "--label", "team"))
                .isEqualTo("error: invalid --label \"team\": expected key=value pairs separated by commas, e.g. team=core,gpu=true");
        assertThat(usageError("run", "echo", "--selector", "gpu=true,", "--selector", "x=1"))
                .startsWith("error: invalid --selector \"gpu=true,\": ");
        assertThat(usageError("run", "echo", "--selector", "gpu=true", "--selector", "gpu=false"))
                .isEqualTo("error: --selector gives \"gpu\" twice");
        assertThat(usageError("tasks", "list", "-l", "=x")).startsWith("error: invalid --label \"=x\": ");
        assertThat(usageError("workers", "register", "w", "--labels", "a=1,b")).startsWith("error: invalid --labels \"a=1,b\": ");
    }

    @Test
    void listFiltersAreChecked() {
        assertThat(usageError("tasks", "list", "--phase", "done")).isEqualTo("error: unknown phase \"done\"; phases: Pending,"
                + " AwaitingApproval, Queued, Running, Succeeded, Failed, DeadLettered, Cancelled, Denied");
        assertThat(usageError("tasks", "list", "--limit", "0")).isEqualTo("error: --limit must be at least 1");
        assertThat(TaskFormat.phase("deadlettered")).isEqualTo("DeadLettered");
    }

    @Test
    void anExistingCredentialFileIsRefusedBeforeAnythingIsRegistered() throws IOException {
        Path file = Files.writeString(dir.resolve("w.credential"), "wdw_old\n");

        CliRunner.Result result = cli.run("workers", "register", "w", "--credential-file", file.toString());

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: " + file + " exists; nothing was registered (--force replaces it)");
        assertThat(Files.readString(file)).isEqualTo("wdw_old\n");

        CliRunner.Result noDir = cli.run("workers", "register", "w", "--credential-file", dir.resolve("nope/w.credential").toString());
        assertThat(noDir.errLines()).containsExactly(
                "error: no directory " + dir.resolve("nope") + " for " + dir.resolve("nope/w.credential") + "; nothing was registered");

        CliRunner.Result forced = cli.run("workers", "register", "w", "--credential-file", file.toString(), "--force");
        assertThat(forced.errLines()).as("with --force it gets as far as the server")
                .singleElement().asString().startsWith("error: cannot reach Warden at ");
    }

    @Test
    void helpNamesTheCommands() {
        assertThat(cli.run("--help").out()).contains("run").contains("tasks").contains("workers");
        assertThat(cli.run("tasks", "--help").out()).contains("list").contains("get").contains("logs").contains("cancel")
                .contains("retry");
        assertThat(cli.run("workers", "--help").out()).contains("register").contains("list").contains("delete");
        assertThat(cli.run("tasks").exit()).isZero();
    }
}
