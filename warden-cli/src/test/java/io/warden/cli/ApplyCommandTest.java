package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path examples;

    private FakeWarden server;
    private ResourceStore store;
    private CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        store = new ResourceStore(CliRunner.NOW.minusSeconds(300));
        server = FakeWarden.start().otherwise(store);
        cli = new CliRunner(home).env("WARDEN_SERVER", server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(examples.resolve(name), text);
    }

    private void writeExamples(String gitCloneCommand) throws IOException {
        // File names sort the namespace and the role last, on purpose.
        write("a-binding.yaml", """
                apiVersion: warden.dev/v1
                kind: RoleBinding
                metadata: {name: ops, namespace: demo}
                spec:
                  roleRef: {name: operator}
                  subjects: [{kind: User, name: alice}]
                """);
        write("b-tools.yaml", """
                apiVersion: warden.dev/v1
                kind: Tool
                metadata:
                  name: git-clone
                  namespace: demo
                spec:
                  type: exec
                  exec:
                    command: [%s]
                ---
                # an http tool
                apiVersion: warden.dev/v1
                kind: Tool
                metadata: {name: weather, namespace: demo}
                spec: {type: http}
                """.formatted(gitCloneCommand));
        write("role.yaml", "apiVersion: warden.dev/v1\nkind: Role\nmetadata: {name: operator}\nspec: {}\n");
        write("z-namespace.yaml", "apiVersion: warden.dev/v1\nkind: Namespace\nmetadata: {name: demo}\nspec: {}\n");
    }

    @Test
    void appliesADirectoryNamespaceFirstThenRolesThenFileOrder() throws IOException {
        writeExamples("git, clone");

        CliRunner.Result first = cli.run("apply", "-f", examples.toString());

        assertThat(first.err()).isEmpty();
        assertThat(first.exit()).isZero();
        assertThat(first.outLines()).containsExactly(
                "namespace/demo created",
                "role/operator created",
                "rolebinding/ops created",
                "tool/git-clone created",
                "tool/weather created");
        assertThat(server.requestLines()).containsExactly(
                "PUT /v1/namespaces/demo",
                "PUT /v1/roles/operator",
                "PUT /v1/namespaces/demo/rolebindings/ops",
                "PUT /v1/namespaces/demo/tools/git-clone",
                "PUT /v1/namespaces/demo/tools/weather");

        CliRunner.Result second = cli.run("apply", "-f", examples.toString());
        assertThat(second.outLines()).containsExactly(
                "namespace/demo unchanged",
                "role/operator unchanged",
                "rolebinding/ops unchanged",
                "tool/git-clone unchanged",
                "tool/weather unchanged");

        writeExamples("git, clone, --depth=1");
        CliRunner.Result third = cli.run("apply", "-f", examples.resolve("b-tools.yaml").toString());
        assertThat(third.outLines()).containsExactly("tool/git-clone configured", "tool/weather unchanged");
        assertThat(store.stored(io.warden.api.Kinds.TOOL, "demo", "git-clone").path("metadata").path("generation").asInt()).isEqualTo(2);
    }

    @Test
    void sendsEachDocumentAsJson() throws IOException {
        write("ns.yaml", "apiVersion: warden.dev/v1\nkind: Namespace\nmetadata: {name: demo}\n");
        write("tool.yaml", "apiVersion: warden.dev/v1\nkind: Tool\nmetadata:\n  name: x\n  labels: {app: web}\nspec:\n  type: exec\n  timeoutSeconds: 30\n");

        CliRunner.Result result = cli.run("apply", "-f", examples.resolve("ns.yaml").toString(), "-f", examples.resolve("tool.yaml").toString(), "-n", "demo");

        assertThat(result.exit()).isZero();
        FakeWarden.Request put = server.requests().get(1);
        assertThat(put.path()).isEqualTo("/v1/namespaces/demo/tools/x");
        assertThat(put.header("Content-Type")).isEqualTo("application/json");
        assertThat(ResourceStore.tree(put.body())).isEqualTo(ResourceStore.tree("""
                {"apiVersion":"warden.dev/v1","kind":"Tool","metadata":{"name":"x","labels":{"app":"web"}},
                 "spec":{"type":"exec","timeoutSeconds":30}}"""));
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
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aRefusalStopsAtThatDocumentAndShowsEveryInvalidField() throws IOException {
        server.on("PUT", "/v1/namespaces/demo/tools/x", (request, exchange) -> FakeWarden.respond(exchange, 422,
                "application/problem+json", """
                {"type":"https://warden.dev/problems/invalid-manifest","title":"Invalid manifest","status":422,
                 "detail":"2 fields are invalid","instance":"/v1/namespaces/demo/tools/x","requestId":"9f1c",
                 "errors":[{"path":"spec.type","message":"must be one of: exec, http"},
                           {"path":"spec.timeoutSeconds","message":"must be an integer"}]}"""));
        server.on("PUT", "/v1/namespaces/demo/tools/ok", (request, exchange) -> FakeWarden.json(exchange, 201, "{}", "Warden-Apply-Result", "created"));
        write("tool.yaml", "kind: Tool\nmetadata: {name: ok, namespace: demo}\n---\nkind: Tool\nmetadata: {name: x, namespace: demo}\nspec: {type: ftp, timeoutSeconds: soon}\n---\nkind: Tool\nmetadata: {name: never, namespace: demo}\n");

        CliRunner.Result result = cli.run("apply", "-f", examples.resolve("tool.yaml").toString());

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.outLines()).containsExactly("tool/ok created");
        assertThat(result.errLines()).containsExactly(
                "error: " + examples.resolve("tool.yaml") + " (document 2): tool/x: Invalid manifest: 2 fields are invalid (request id 9f1c)",
                "  spec.type: must be one of: exec, http",
                "  spec.timeoutSeconds: must be an integer");
        assertThat(server.requestLines()).containsExactly("PUT /v1/namespaces/demo/tools/ok", "PUT /v1/namespaces/demo/tools/x");
    }

    @Test
    void readsManifestsFromStdin() {
        CliRunner.Result result = cli.stdin("kind: Namespace\nmetadata: {name: demo}\n---\nkind: Tool\nmetadata: {name: x}\nspec: {type: exec}\n")
                .run("apply", "-n", "demo", "-f", "-");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly("namespace/demo created", "tool/x created");
    }

    @Test
    void namespaceDefaultsToTheContextsThenDefault() throws IOException {
        write("tool.yaml", "kind: Tool\nmetadata: {name: x}\n");
        server.on("PUT", "/v1/namespaces/default/tools/x", (r, e) -> FakeWarden.json(e, 201, "{}", "Warden-Apply-Result", "created"));
        server.on("PUT", "/v1/namespaces/team/tools/x", (r, e) -> FakeWarden.json(e, 200, "{}", "Warden-Apply-Result", "configured"));

        assertThat(cli.run("apply", "-f", examples.toString()).outLines()).containsExactly("tool/x created");

        assertThat(cli.run("config", "set-context", "ctx", "--server", server.url(), "--namespace", "team").exit()).isZero();
        assertThat(cli.run("apply", "-f", examples.toString()).outLines()).containsExactly("tool/x configured");
    }

    @Test
    void aNamespaceFlagThatContradictsTheManifestIsRefused() throws IOException {
        write("tool.yaml", "kind: Tool\nmetadata: {name: x, namespace: demo}\n");

        CliRunner.Result result = cli.run("apply", "-f", examples.toString(), "-n", "prod");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.err()).contains("does not match --namespace \"prod\"");
        assertThat(server.requests()).isEmpty();
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
