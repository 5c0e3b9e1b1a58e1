package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class GetCommandTest {

    @TempDir
    Path home;

    private FakeWarden server;
    private ResourceStore store;
    private CliRunner cli;

    @BeforeEach
    void start() throws IOException {
        store = new ResourceStore(CliRunner.NOW.minusSeconds(3 * 3600));
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

    private void tool(String name, String type, String created) {
        put("""
                {"apiVersion":"warden.dev/v1","kind":"Tool","metadata":{"name":"%s","namespace":"demo",
                 "creationTimestamp":"%s","resourceVersion":"7"},"spec":{"type":"%s"}}""".formatted(name, created, type));
    }

    @Test
    void tableShowsNameTheKindsColumnAndAge() {
        tool("git-clone", "exec", "2025-06-01T11:59:55Z");
        tool("weather-lookup", "http", "2025-05-28T12:00:00Z");

        CliRunner.Result result = cli.run("get", "tools", "-n", "demo");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly(
                "NAME             TYPE   AGE",
                "git-clone        exec   5s",
                "weather-lookup   http   4d");
    }

    @Test
    void policiesCountRulesAndRoleBindingsShowTheirRole() {
        put("""
                {"kind":"Policy","metadata":{"name":"p","namespace":"demo"},"spec":{"rules":[{"name":"a"},{"name":"b"}]}}""");
        put("""
                {"kind":"RoleBinding","metadata":{"name":"rb","namespace":"demo"},"spec":{"roleRef":{"name":"operator"}}}""");

        assertThat(cli.run("get", "pol", "-n", "demo").outLines()).containsExactly(
                "NAME   RULES   AGE",
                "p      2       3h");
        assertThat(cli.run("get", "RB", "-n", "demo").outLines()).containsExactly(
                "NAME   ROLE       AGE",
                "rb     operator   3h");
        assertThat(cli.run("get", "namespaces").outLines()).containsExactly(
                "NAME   AGE",
                "demo   3h");
    }

    @Test
    void listsPageThroughContinueTokens() {
        // Page 2 is read at a later version than page 1; the list as a whole reports page 1's.
        server.on("GET", "/v1/namespaces/demo/tools", (request, exchange) -> FakeWarden.json(exchange, 200,
                request.query().containsKey("continue")
                        ? """
                        {"apiVersion":"warden.dev/v1","kind":"ToolList","metadata":{"resourceVersion":"43"},
                         "items":[{"kind":"Tool","metadata":{"name":"b"},"spec":{"type":"http"}}]}"""
                        : """
                        {"apiVersion":"warden.dev/v1","kind":"ToolList","metadata":{"resourceVersion":"42","continue":"tok en/1"},
                         "items":[{"kind":"Tool","metadata":{"name":"a"},"spec":{"type":"exec"}}]}"""));

        CliRunner.Result result = cli.run("get", "tools", "-n", "demo", "-o", "name");

        assertThat(result.outLines()).containsExactly("tool/a", "tool/b");
        List<FakeWarden.Request> requests = server.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).query()).containsExactly(java.util.Map.entry("limit", "500"));
        assertThat(requests.get(1).query()).containsEntry("limit", "500").containsEntry("continue", "tok en/1");

        CliRunner.Result json = cli.run("get", "tools", "-n", "demo", "-o", "json");
        JsonNode list = Json.JSON.readTree(json.out());
        assertThat(list.path("kind").asString()).isEqualTo("ToolList");
        assertThat(list.path("apiVersion").asString()).isEqualTo("warden.dev/v1");
        assertThat(list.path("metadata").path("resourceVersion").asString()).isEqualTo("42");
        assertThat(list.path("items").findValuesAsString("name")).containsExactly("a", "b");
    }

    @Test
    void yamlOutputOfAListIsOneDocumentPerResource() {
        tool("a", "exec", "2025-06-01T11:00:00Z");
        tool("b", "http", "2025-06-01T11:00:00Z");

        CliRunner.Result result = cli.run("get", "tool", "-n", "demo", "-o", "YAML");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("""
                apiVersion: warden.dev/v1
                kind: Tool
                metadata:
                  name: a
                  namespace: demo
                  creationTimestamp: 2025-06-01T11:00:00Z
                  resourceVersion: "7"
                spec:
                  type: exec
                ---
                apiVersion: warden.dev/v1
                kind: Tool
                metadata:
                  name: b
                  namespace: demo
                  creationTimestamp: 2025-06-01T11:00:00Z
                  resourceVersion: "7"
                spec:
                  type: http
                """);
    }

    @Test
    void oneResourceAsTableYamlAndJson() {
        tool("git-clone", "exec", "2025-06-01T11:00:00Z");

        assertThat(cli.run("get", "tool", "git-clone", "-n", "demo").outLines())
                .containsExactly("NAME        TYPE   AGE", "git-clone   exec   1h");
        assertThat(cli.run("get", "tool", "git-clone", "-n", "demo", "-o", "yaml").out())
                .startsWith("apiVersion: warden.dev/v1\nkind: Tool\nmetadata:\n  name: git-clone\n");
        assertThat(cli.run("get", "tool", "git-clone", "-n", "demo", "-o", "json").out()).isEqualTo("""
                {
                  "apiVersion": "warden.dev/v1",
                  "kind": "Tool",
                  "metadata": {
                    "name": "git-clone",
                    "namespace": "demo",
                    "creationTimestamp": "2025-06-01T11:00:00Z",
                    "resourceVersion": "7"
                  },
                  "spec": {
                    "type": "exec"
                  }
                }
                """);
    }

    @Test
    void aMissingResourceIsReportedByKindAndName() {
        CliRunner.Result result = cli.run("get", "tool", "x", "-n", "demo");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: tool \"x\" not found");
    }

    @Test
    void anEmptyListSaysSoOnStderr() {
        CliRunner.Result result = cli.run("get", "agents", "-n", "demo");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("No resources found in demo namespace.");
    }

    @Test
    void theLabelSelectorIsSentEncoded() {
        server.on("GET", "/v1/namespaces/default/tools", (request, exchange) -> FakeWarden.json(exchange, 200,
                "{\"kind\":\"ToolList\",\"metadata\":{},\"items\":[]}"));

        cli.run("get", "tools", "-l", "app in (web,api),!legacy");

        FakeWarden.Request request = server.requests().getFirst();
        assertThat(request.rawQuery()).isEqualTo("limit=500&labelSelector=app%20in%20%28web%2Capi%29%2C%21legacy");
        assertThat(request.query()).containsEntry("labelSelector", "app in (web,api),!legacy");
    }

    @Test
    void namesAreEncodedIntoThePath() {
        cli.run("get", "tool", "../../v1/namespaces", "-n", "demo");

        assertThat(server.requests().getFirst().path()).isEqualTo("/v1/namespaces/demo/tools/%2E%2E%2F%2E%2E%2Fv1%2Fnamespaces");
    }

    @Test
    void anUnknownKindIsAUsageError() {
        CliRunner.Result result = cli.run("get", "gadgets");

        assertThat(result.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(result.errLines().getFirst()).startsWith("error: unknown kind \"gadgets\"; known kinds: namespaces (namespace, ns), roles (role)");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void anUnknownOutputFormatIsAUsageError() {
        CliRunner.Result result = cli.run("get", "tools", "-o", "xml");

        assertThat(result.exit()).isEqualTo(WardenCli.USAGE);
        assertThat(result.err()).contains("-o").contains("xml");
    }
}
