package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The quickstart, for real: the server jar as a process on a random port, the CLI applying
 * {@code examples/} and reading it back, once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CliEndToEndContract {

    static final Path EXAMPLES = ServerProcess.ROOT.resolve("examples");

    private ServerProcess server;
    private Cli cli;

    abstract TestDatabase database();

    @BeforeAll
    void start() throws Exception {
        server = ServerProcess.start(ServerProcess.freePort(), serverArgs(database()));
        cli = Cli.admin(server.server(), database().dataDir());
    }

    static List<String> serverArgs(TestDatabase db) {
        return db.serverArgs().stream().map(a -> a.replaceFirst("^--warden\\.data-dir=", "--data-dir=")
                .replaceFirst("^--warden\\.db\\.url=", "--db-url=")).toList();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stopCleanly();
        }
    }

    private static List<String> lines(String s) {
        return Arrays.stream(s.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void applyTheExamplesTwiceThenReadAndDelete() throws Exception {
        var first = cli.run("apply", "-f", EXAMPLES.toString());
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(lines(first.out())).containsExactlyInAnyOrder(
                "namespace/demo created", "tool/git-clone created", "tool/hello created", "tool/http-status created",
                "policy/demo created");

        var second = cli.run("apply", "-f", EXAMPLES.toString());
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(lines(second.out())).hasSize(5).allMatch(l -> l.endsWith(" unchanged"));

        var table = cli.run("get", "tools", "-n", "demo");
        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(lines(table.out()).getFirst()).startsWith("NAME");
        assertThat(table.out()).contains("git-clone", "hello", "http-status");

        var yaml = cli.run("get", "tool", "git-clone", "-n", "demo", "-o", "yaml");
        assertThat(yaml.exit()).as(yaml.toString()).isZero();
        JsonNode fromYaml = YAMLMapper.builder().build().readTree(yaml.out());
        assertThat(fromYaml.path("kind").asString()).isEqualTo("Tool");
        assertThat(fromYaml.path("spec").path("exec").path("command").get(0).asString()).isEqualTo("git");

        var json = cli.run("get", "tools", "-n", "demo", "-o", "json");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode list = JsonMapper.builder().build().readTree(json.out());
        assertThat(list.path("kind").asString()).isEqualTo("ToolList");
        assertThat(list.path("items").valueStream().map(i -> i.path("metadata").path("name").asString()))
                .containsExactly("git-clone", "hello", "http-status");

        var selected = cli.run("get", "tools", "-n", "demo", "-l", "team=platform", "-o", "name");
        assertThat(selected.exit()).as(selected.toString()).isZero();
        assertThat(selected.out()).contains("git-clone");

        var describe = cli.run("describe", "policy", "demo", "-n", "demo");
        assertThat(describe.exit()).as(describe.toString()).isZero();
        assertThat(describe.out()).contains("demo", "writers-clone-github");

        // What get -o yaml prints can be applied again as is.
        Path roundTrip = Files.createTempFile("roundtrip", ".yaml");
        Files.writeString(roundTrip, yaml.out());
        var reapplied = cli.run("apply", "-f", roundTrip.toString());
        assertThat(reapplied.exit()).as(reapplied.toString()).isZero();
        assertThat(reapplied.out()).contains("tool/git-clone unchanged");

        var deleted = cli.run("delete", "tool", "http-status", "-n", "demo");
        assertThat(deleted.exit()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("http-status");
        var gone = cli.run("get", "tool", "http-status", "-n", "demo");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("not found");
    }

    @Test
    void anInvalidDocumentStopsTheRunAndIsNamed() throws Exception {
        Path dir = Files.createTempDirectory("bad-manifests");
        Files.writeString(dir.resolve("a-namespace.yaml"), """
                apiVersion: warden.dev/v1
                kind: Namespace
                metadata: {name: broken-demo}
                """);
        Files.writeString(dir.resolve("b-tools.yaml"), """
                apiVersion: warden.dev/v1
                kind: Tool
                metadata: {name: fine, namespace: broken-demo}
                spec: {type: exec, exec: {command: [echo]}}
                ---
                apiVersion: warden.dev/v1
                kind: Tool
                metadata: {name: broken, namespace: broken-demo}
                spec: {type: exec, exec: {command: [echo]}, timeoutSeconds: soon}
                """);
        var r = cli.run("apply", "-f", dir.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("b-tools.yaml").contains("document 2").contains("spec.timeoutSeconds");
        assertThat(cli.run("get", "tool", "broken", "-n", "broken-demo").exit()).isEqualTo(1);
    }

    @Test
    void withoutCredentialsNothingIsServed() {
        var anonymous = new Cli(server.server()).run("get", "tools", "-n", "demo");
        assertThat(anonymous.exit()).isEqualTo(1);
        assertThat(anonymous.err()).containsIgnoringCase("unauthenticated");
        var whoami = cli.run("whoami");
        assertThat(whoami.exit()).as(whoami.toString()).isZero();
        assertThat(whoami.out()).contains("admin");
    }

    @Test
    void usageErrorsExitTwo() {
        var r = cli.run("get", "gadgets");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(cli.run("frobnicate").exit()).isEqualTo(2);
    }

    @Test
    void versionReportsClientAndServer() {
        var r = cli.run("version");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("warden.dev/v1").contains(database().vendor());
    }
}
