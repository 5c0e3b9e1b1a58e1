package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.Kinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** describe, delete, version and completion. */
class CommandsTest {

    @TempDir
    Path home;

    @TempDir
    Path files;

    private FakeWarden server;
    private ResourceStore store;
    private CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        store = new ResourceStore(CliRunner.NOW.minusSeconds(600));
        server = FakeWarden.start().otherwise(store);
        cli = new CliRunner(home).env("WARDEN_SERVER", server.url());
        put("{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"demo\"}}");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void put(String json) {
        store.put((ObjectNode) Json.JSON.readTree(json));
    }

    @Test
    void describeShowsMetadataThenSpecAndStatusAsYaml() {
        put("""
                {"apiVersion":"warden.dev/v1","kind":"Tool",
                 "metadata":{"name":"git-clone","namespace":"demo","labels":{"tier":"core","app":"git"},
                   "uid":"0b7e","resourceVersion":"42","generation":3,
                   "creationTimestamp":"2025-06-01T10:00:00Z","updateTimestamp":"2025-06-01T11:55:00Z"},
                 "spec":{"type":"exec","exec":{"command":["git","clone"]}}}""");

        CliRunner.Result result = cli.run("describe", "tool", "git-clone", "-n", "demo");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("""
                Name:              git-clone
                Namespace:         demo
                Labels:            app=git
                                   tier=core
                Annotations:       <none>
                UID:               0b7e
                Resource Version:  42
                Generation:        3
                Created:           2025-06-01T10:00:00Z (2h ago)
                Updated:           2025-06-01T11:55:00Z (5m ago)
                Spec:
                  type: exec
                  exec:
                    command:
                      - git
                      - clone
                Status:            <none>
                """);
        assertThat(cli.run("describe", "namespace", "demo").out()).startsWith("Name:              demo\nLabels:");
        assertThat(cli.run("describe", "tool", "nope", "-n", "demo").errLines()).containsExactly("error: tool \"nope\" not found");
    }

    @Test
    void deleteReportsEachResourceAndMissingOnesWithExitOne() {
        put("{\"kind\":\"Tool\",\"metadata\":{\"name\":\"a\",\"namespace\":\"demo\"}}");
        put("{\"kind\":\"Tool\",\"metadata\":{\"name\":\"b\",\"namespace\":\"demo\"}}");

        CliRunner.Result result = cli.run("delete", "tools", "a", "x", "b", "-n", "demo");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.outLines()).containsExactly("tool/a deleted", "tool/b deleted");
        assertThat(result.errLines()).containsExactly("error: tool \"x\" not found");
        assertThat(store.stored(Kinds.TOOL, "demo", "a")).isNull();

        assertThat(cli.run("delete", "tool", "x", "-n", "demo", "--ignore-not-found").exit()).isZero();
    }

    @Test
    void deleteFromFilesGoesInReverseSoTheNamespaceIsLast() throws IOException {
        put("{\"kind\":\"Tool\",\"metadata\":{\"name\":\"t\",\"namespace\":\"demo\"}}");
        put("{\"kind\":\"Role\",\"metadata\":{\"name\":\"r\"}}");
        Files.writeString(files.resolve("all.yaml"), """
                kind: Namespace
                metadata: {name: demo}
                ---
                kind: Tool
                metadata: {name: t, namespace: demo}
                ---
                kind: Role
                metadata: {name: r}
                """);

        CliRunner.Result result = cli.run("delete", "-f", files.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("tool/t deleted", "role/r deleted", "namespace/demo deleted");
    }

    @Test
    void versionPrintsClientAndServer() {
        server.on("GET", "/v1/version", (request, exchange) -> FakeWarden.json(exchange, 200,
                "{\"version\":\"0.1.0\",\"apiVersion\":\"warden.dev/v1\",\"database\":\"postgresql\",\"java\":\"21\"}"));

        CliRunner.Result result = cli.run("version");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly(
                "Client Version: dev",
                "Server Version: 0.1.0",
                "API Version:    warden.dev/v1",
                "Database:       postgresql");
        assertThat(server.requests().getFirst().header("User-Agent")).isEqualTo("warden-cli/dev");
    }

    @Test
    void versionWithoutAServerWarnsButSucceeds() {
        server.close();

        CliRunner.Result result = cli.run("version");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("Client Version: dev");
        assertThat(result.errLines()).containsExactly("warning: cannot reach Warden at " + server.url() + ": connection refused");

        CliRunner.Result clientOnly = cli.run("version", "--client");
        assertThat(clientOnly.exit()).isZero();
        assertThat(clientOnly.err()).isEmpty();
    }

    @Test
    void completionPrintsAScriptThatKnowsTheCommandsAndKinds() {
        for (String shell : new String[] {"bash", "zsh"}) {
            CliRunner.Result result = cli.run("completion", shell);

            assertThat(result.exit()).isZero();
            assertThat(result.out())
                    .contains("complete -F _complete_warden")
                    .contains("apply").contains("describe").contains("use-context")
                    .contains("rolebindings")
                    .contains("ZSH_VERSION");
        }
    }
}
