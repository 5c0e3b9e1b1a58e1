package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.cli.WardenCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * apply, get, describe, delete and version against the real server (SQLite), through a {@link Wire}
 * that shows what the CLI sent. Each test works in namespaces of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResourceCommandsEndToEndTest {

    private static final Pattern REQUEST_ID = Pattern.compile("^\\[warden] < \\d+ \\(\\d+ ms, request id ([^)]+)\\)$");

    private ServerProcess server;
    private Wire wire;
    private Cli cli;
    private Http api;

    @BeforeAll
    void start() throws Exception {
        Path dataDir = Files.createTempDirectory("warden-it-").resolve("data");
        server = ServerProcess.startSqlite(dataDir);
        wire = Wire.to(server.port);
        cli = Cli.admin(wire.url(), dataDir);
        api = new Http(server.server(), cli.token());
    }

    @AfterAll
    void stop() throws Exception {
        if (wire != null) {
            wire.close();
        }
        if (server != null) {
            server.stopCleanly();
        }
    }

    private Cli at(Instant now) {
        return cli.with(c -> c.withClock(Clock.fixed(now, ZoneOffset.UTC)));
    }

    private static Instant created(JsonNode resource) {
        return Instant.parse(resource.path("metadata").path("creationTimestamp").asString());
    }

    private static String meta(JsonNode resource, String field) {
        return resource.path("metadata").path(field).asString();
    }

    /** The request id of the last answer, from a --verbose log. */
    private static String lastRequestId(Cli.Result result) {
        String id = null;
        for (String line : result.errLines()) {
            Matcher m = REQUEST_ID.matcher(line);
            if (m.matches()) {
                id = m.group(1);
            }
        }
        assertThat(id).as("a request id in the --verbose log:\n%s", result).isNotNull();
        return id;
    }

    /** stderr without the --verbose log lines. */
    private static List<String> errors(Cli.Result result) {
        return result.errLines().stream().filter(l -> !l.startsWith("[warden] ")).toList();
    }

    private static Path write(Path dir, String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static void writeExamples(Path dir, String gitCloneCommand) throws Exception {
        // File names sort the namespace and the role last, on purpose.
        write(dir, "a-binding.yaml", """
                apiVersion: warden.dev/v1
                kind: RoleBinding
                metadata: {name: ops, namespace: ordered}
                spec:
                  roleRef: {name: ordered-operator}
                  subjects: [{kind: User, name: alice}]
                """);
        write(dir, "b-tools.yaml", """
                apiVersion: warden.dev/v1
                kind: Tool
                metadata:
                  name: git-clone
                  namespace: ordered
                spec:
                  type: exec
                  exec:
                    command: [%s]
                ---
                # an http tool
                apiVersion: warden.dev/v1
                kind: Tool
                metadata: {name: weather, namespace: ordered}
                spec: {type: http, http: {method: GET, url: "https://weather.example/today"}}
                """.formatted(gitCloneCommand));
        write(dir, "role.yaml", """
                apiVersion: warden.dev/v1
                kind: Role
                metadata: {name: ordered-operator}
                spec: {rules: [{resources: [tools], verbs: [get]}]}
                """);
        write(dir, "z-namespace.yaml", "apiVersion: warden.dev/v1\nkind: Namespace\nmetadata: {name: ordered}\nspec: {}\n");
    }

    // --- apply --------------------------------------------------------------------------------

    @Test
    void appliesADirectoryNamespaceFirstThenRolesThenFileOrder(@TempDir Path examples) throws Exception {
        writeExamples(examples, "git, clone");
        int before = wire.requests().size();

        Cli.Result first = cli.run("apply", "-f", examples.toString());

        assertThat(first.err()).isEmpty();
        assertThat(first.exit()).isZero();
        assertThat(first.outLines()).containsExactly(
                "namespace/ordered created",
                "role/ordered-operator created",
                "rolebinding/ops created",
                "tool/git-clone created",
                "tool/weather created");
        assertThat(Wire.lines(wire.requestsSince(before))).containsExactly(
                "PUT /v1/namespaces/ordered",
                "PUT /v1/roles/ordered-operator",
                "PUT /v1/namespaces/ordered/rolebindings/ops",
                "PUT /v1/namespaces/ordered/tools/git-clone",
                "PUT /v1/namespaces/ordered/tools/weather");

        Cli.Result second = cli.run("apply", "-f", examples.toString());
        assertThat(second.outLines()).containsExactly(
                "namespace/ordered unchanged",
                "role/ordered-operator unchanged",
                "rolebinding/ops unchanged",
                "tool/git-clone unchanged",
                "tool/weather unchanged");

        writeExamples(examples, "git, clone, --depth=1");
        Cli.Result third = cli.run("apply", "-f", examples.resolve("b-tools.yaml").toString());
        assertThat(third.outLines()).containsExactly("tool/git-clone configured", "tool/weather unchanged");
        assertThat(api.get("/v1/namespaces/ordered/tools/git-clone").json().path("metadata").path("generation").asInt()).isEqualTo(2);
    }

    @Test
    void sendsEachDocumentAsJson(@TempDir Path examples) throws Exception {
        write(examples, "ns.yaml", "apiVersion: warden.dev/v1\nkind: Namespace\nmetadata: {name: as-json}\n");
        write(examples, "tool.yaml", "apiVersion: warden.dev/v1\nkind: Tool\nmetadata:\n  name: x\n  labels: {app: web}\n"
                + "spec:\n  type: exec\n  exec: {command: [echo]}\n  timeoutSeconds: 30\n");
        int before = wire.requests().size();

        Cli.Result result = cli.run("apply", "-f", examples.resolve("ns.yaml").toString(),
                "-f", examples.resolve("tool.yaml").toString(), "-n", "as-json");

        assertThat(result.exit()).as(result.toString()).isZero();
        Wire.Request put = wire.requestsSince(before).get(1);
        assertThat(put.path()).isEqualTo("/v1/namespaces/as-json/tools/x");
        assertThat(put.header("Content-Type")).isEqualTo("application/json");
        JsonNode expected = Http.JSON.readTree("""
                {"apiVersion":"warden.dev/v1","kind":"Tool","metadata":{"name":"x","labels":{"app":"web"}},
                 "spec":{"type":"exec","exec":{"command":["echo"]},"timeoutSeconds":30}}""");
        assertThat(Http.JSON.readTree(put.body())).isEqualTo(expected);
        JsonNode stored = api.get("/v1/namespaces/as-json/tools/x").json();
        assertThat(stored.path("spec")).isEqualTo(expected.path("spec"));
        assertThat(stored.path("metadata").path("labels")).isEqualTo(expected.path("metadata").path("labels"));
    }

    @Test
    void aRefusalStopsAtThatDocumentAndShowsEveryInvalidField(@TempDir Path examples) throws Exception {
        api.namespace("refusing");
        Path file = write(examples, "tool.yaml", """
                apiVersion: warden.dev/v1
                kind: Tool
                metadata: {name: ok, namespace: refusing}
                spec: {type: exec, exec: {command: [echo]}}
                ---
                apiVersion: warden.dev/v1
                kind: Tool
                metadata: {name: x, namespace: refusing}
                spec: {type: ftp, timeoutSeconds: soon}
                ---
                apiVersion: warden.dev/v1
                kind: Tool
                metadata: {name: never, namespace: refusing}
                spec: {type: exec, exec: {command: [echo]}}
                """);
        int before = wire.requests().size();

        Cli.Result result = cli.run("apply", "-f", file.toString(), "-v");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.outLines()).containsExactly("tool/ok created");
        assertThat(errors(result)).containsExactly(
                "error: " + file + " (document 2): tool/x: Invalid Tool: 2 fields are invalid (request id " + lastRequestId(result) + ")",
                "  spec.timeoutSeconds: string found, integer expected",
                "  spec.type: does not have a value in the enumeration [\"exec\", \"http\"]");
        assertThat(Wire.lines(wire.requestsSince(before)))
                .containsExactly("PUT /v1/namespaces/refusing/tools/ok", "PUT /v1/namespaces/refusing/tools/x");
        assertThat(api.get("/v1/namespaces/refusing/tools/never").status()).isEqualTo(404);
    }

    @Test
    void readsManifestsFromStdin() {
        Cli.Result result = cli.runWithInput("""
                        apiVersion: warden.dev/v1
                        kind: Namespace
                        metadata: {name: from-stdin}
                        ---
                        apiVersion: warden.dev/v1
                        kind: Tool
                        metadata: {name: x}
                        spec: {type: exec, exec: {command: [echo]}}
                        """,
                "apply", "-n", "from-stdin", "-f", "-");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.outLines()).containsExactly("namespace/from-stdin created", "tool/x created");
        assertThat(api.get("/v1/namespaces/from-stdin/tools/x").status()).isEqualTo(200);
    }

    @Test
    void namespaceDefaultsToTheContextsThenDefault(@TempDir Path examples) throws Exception {
        write(examples, "tool.yaml", "apiVersion: warden.dev/v1\nkind: Tool\nmetadata: {name: x}\nspec: {type: exec, exec: {command: [echo]}}\n");
        api.namespace("default");
        api.namespace("team");
        api.apply("/v1/namespaces/team/tools/x",
                "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'x'},'spec':{'type':'exec','exec':{'command':['true']}}}");
        Cli ctx = Cli.withoutServer().writeConfig("""
                currentContext: ctx
                contexts:
                  - name: ctx
                    server: %s
                    token: %s
                """.formatted(wire.url(), cli.token()));

        int before = wire.requests().size();
        assertThat(ctx.run("apply", "-f", examples.toString()).outLines()).containsExactly("tool/x created");
        assertThat(Wire.lines(wire.requestsSince(before))).containsExactly("PUT /v1/namespaces/default/tools/x");

        assertThat(ctx.run("config", "set-context", "ctx", "--namespace", "team").exit()).isZero();
        before = wire.requests().size();
        assertThat(ctx.run("apply", "-f", examples.toString()).outLines()).containsExactly("tool/x configured");
        assertThat(Wire.lines(wire.requestsSince(before))).containsExactly("PUT /v1/namespaces/team/tools/x");
    }

    // --- get ----------------------------------------------------------------------------------

    @Test
    void tableShowsNameTheKindsColumnAndAge() {
        api.namespace("table");
        JsonNode weather = api.apply("/v1/namespaces/table/tools/weather-lookup", """
                {'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'weather-lookup'},
                 'spec':{'type':'http','http':{'method':'GET','url':'https://weather.example/'}}}""");
        JsonNode gitClone = api.tool("table", "git-clone");
        Instant now = created(gitClone).plusSeconds(5);

        Cli.Result result = at(now).run("get", "tools", "-n", "table");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly(
                "NAME             TYPE   AGE",
                "git-clone        exec   5s",
                "weather-lookup   http   " + Duration.between(created(weather), now).toSeconds() + "s");
        assertThat(at(created(weather).plus(Duration.ofDays(4).plusHours(1))).run("get", "tools", "-n", "table").outLines())
                .containsExactly(
                        "NAME             TYPE   AGE",
                        "git-clone        exec   4d",
                        "weather-lookup   http   4d");
    }

    @Test
    void policiesCountRulesAndRoleBindingsShowTheirRole() {
        api.namespace("counted");
        api.apply("/v1/namespaces/counted/policies/p", """
                {'apiVersion':'warden.dev/v1','kind':'Policy','metadata':{'name':'p'},'spec':{'rules':[
                 {'name':'a','effect':'allow','subjects':['*'],'tools':['*']},
                 {'name':'b','effect':'deny','subjects':['*'],'tools':['x']}]}}""");
        JsonNode rb = api.apply("/v1/namespaces/counted/rolebindings/rb", """
                {'apiVersion':'warden.dev/v1','kind':'RoleBinding','metadata':{'name':'rb'},
                 'spec':{'roleRef':{'name':'operator'},'subjects':[{'kind':'User','name':'alice'}]}}""");
        Cli later = at(created(rb).plus(Duration.ofHours(3)).plusSeconds(30));

        assertThat(later.run("get", "pol", "-n", "counted").outLines()).containsExactly(
                "NAME   RULES   AGE",
                "p      2       3h");
        assertThat(later.run("get", "RB", "-n", "counted").outLines()).containsExactly(
                "NAME   ROLE       AGE",
                "rb     operator   3h");
        // Namespaces are the whole server's, all made minutes apart by this class: all "3h" now.
        List<List<String>> namespaces = new ArrayList<>();
        api.get("/v1/namespaces").json().path("items").forEach(ns -> namespaces.add(List.of(meta(ns, "name"), "3h")));
        assertThat(TableOutput.rows(later.run("get", "namespaces").outLines(), "NAME", "AGE"))
                .containsExactlyElementsOf(namespaces)
                .contains(List.of("counted", "3h"));
    }

    @Test
    void listsPageThroughContinueTokens() throws Exception {
        api.namespace("paged");
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= 500; i++) {
            String name = "tool-%03d".formatted(i);
            api.tool("paged", name);
            names.add(name);
        }
        String firstPageToken = api.get("/v1/namespaces/paged/tools?limit=500").json().path("metadata").path("continue").asString();
        int before = wire.requests().size();

        Cli.Result result = cli.run("get", "tools", "-n", "paged", "-o", "name");

        assertThat(result.outLines()).containsExactlyElementsOf(names.stream().map(n -> "tool/" + n).toList());
        List<Wire.Request> requests = wire.requestsSince(before);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).query()).containsExactly(Map.entry("limit", "500"));
        assertThat(requests.get(1).query()).containsEntry("limit", "500").containsEntry("continue", firstPageToken);

        // Page 2 is read at a later version than page 1 (a write lands in between); the list as a
        // whole reports page 1's, so that a watch from it misses nothing.
        long pageOneVersion = api.currentVersion();
        Wire.Held secondPage = wire.hold(r -> r.path().equals("/v1/namespaces/paged/tools") && r.query().containsKey("continue"));
        Cli.Running json = cli.start("get", "tools", "-n", "paged", "-o", "json");
        secondPage.awaitArrival();
        api.tool("paged", "tool-999");
        assertThat(api.currentVersion()).isGreaterThan(pageOneVersion);
        secondPage.release();
        Cli.Result listed = json.await(Duration.ofSeconds(30));

        assertThat(listed.exit()).as(listed.toString()).isZero();
        JsonNode list = Http.JSON.readTree(listed.out());
        assertThat(list.path("kind").asString()).isEqualTo("ToolList");
        assertThat(list.path("apiVersion").asString()).isEqualTo("warden.dev/v1");
        assertThat(list.path("metadata").path("resourceVersion").asString()).isEqualTo(Long.toString(pageOneVersion));
        List<String> withLate = new ArrayList<>(names);
        withLate.add("tool-999");
        assertThat(list.path("items").findValuesAsString("name")).containsExactlyElementsOf(withLate);
    }

    @Test
    void yamlOutputOfAListIsOneDocumentPerResource() {
        api.namespace("yaml-list");
        JsonNode a = api.tool("yaml-list", "a");
        JsonNode b = api.apply("/v1/namespaces/yaml-list/tools/b",
                "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'b'},'spec':{'type':'exec','exec':{'command':['true']}}}");

        Cli.Result result = cli.run("get", "tool", "-n", "yaml-list", "-o", "YAML");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("""
                apiVersion: warden.dev/v1
                kind: Tool
                metadata:
                  name: a
                  namespace: yaml-list
                  uid: %s
                  resourceVersion: "%s"
                  generation: 1
                  creationTimestamp: %s
                  updateTimestamp: %s
                spec:
                  type: exec
                  exec:
                    command:
                      - echo
                ---
                apiVersion: warden.dev/v1
                kind: Tool
                metadata:
                  name: b
                  namespace: yaml-list
                  uid: %s
                  resourceVersion: "%s"
                  generation: 1
                  creationTimestamp: %s
                  updateTimestamp: %s
                spec:
                  type: exec
                  exec:
                    command:
                      - "true"
                """.formatted(meta(a, "uid"), meta(a, "resourceVersion"), meta(a, "creationTimestamp"), meta(a, "updateTimestamp"),
                meta(b, "uid"), meta(b, "resourceVersion"), meta(b, "creationTimestamp"), meta(b, "updateTimestamp")));
    }

    @Test
    void oneResourceAsTableYamlAndJson() {
        api.namespace("one");
        JsonNode tool = api.tool("one", "git-clone");

        assertThat(at(created(tool).plus(Duration.ofHours(1))).run("get", "tool", "git-clone", "-n", "one").outLines())
                .containsExactly("NAME        TYPE   AGE", "git-clone   exec   1h");
        assertThat(cli.run("get", "tool", "git-clone", "-n", "one", "-o", "yaml").out())
                .startsWith("apiVersion: warden.dev/v1\nkind: Tool\nmetadata:\n  name: git-clone\n");
        assertThat(cli.run("get", "tool", "git-clone", "-n", "one", "-o", "json").out()).isEqualTo("""
                {
                  "apiVersion": "warden.dev/v1",
                  "kind": "Tool",
                  "metadata": {
                    "name": "git-clone",
                    "namespace": "one",
                    "uid": "%s",
                    "resourceVersion": "%s",
                    "generation": 1,
                    "creationTimestamp": "%s",
                    "updateTimestamp": "%s"
                  },
                  "spec": {
                    "type": "exec",
                    "exec": {
                      "command": [
                        "echo"
                      ]
                    }
                  }
                }
                """.formatted(meta(tool, "uid"), meta(tool, "resourceVersion"), meta(tool, "creationTimestamp"),
                meta(tool, "updateTimestamp")));
    }

    @Test
    void aMissingResourceIsReportedByKindAndName() {
        api.namespace("missing");

        Cli.Result result = cli.run("get", "tool", "x", "-n", "missing");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).containsExactly("error: tool \"x\" not found");
    }

    @Test
    void anEmptyListSaysSoOnStderr() {
        api.namespace("empty");

        Cli.Result result = cli.run("get", "agents", "-n", "empty");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("No resources found in empty namespace.");
    }

    @Test
    void theLabelSelectorIsSentEncoded() {
        api.namespace("labelled");
        api.apply("/v1/namespaces/labelled/tools/web", """
                {'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'web','labels':{'app':'web'}},
                 'spec':{'type':'exec','exec':{'command':['echo']}}}""");
        api.apply("/v1/namespaces/labelled/tools/old-api", """
                {'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'old-api','labels':{'app':'api','legacy':'true'}},
                 'spec':{'type':'exec','exec':{'command':['echo']}}}""");
        api.apply("/v1/namespaces/labelled/tools/db", """
                {'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'db','labels':{'app':'db'}},
                 'spec':{'type':'exec','exec':{'command':['echo']}}}""");
        int before = wire.requests().size();

        Cli.Result result = cli.run("get", "tools", "-n", "labelled", "-l", "app in (web,api),!legacy", "-o", "name");

        assertThat(result.outLines()).as("the server read the selector as typed").containsExactly("tool/web");
        Wire.Request request = wire.requestsSince(before).getFirst();
        assertThat(request.rawQuery()).isEqualTo("limit=500&labelSelector=app%20in%20%28web%2Capi%29%2C%21legacy");
        assertThat(request.query()).containsEntry("labelSelector", "app in (web,api),!legacy");
    }

    @Test
    void namesAreEncodedIntoThePath() {
        api.namespace("encoded");
        int before = wire.requests().size();

        Cli.Result result = cli.run("get", "tool", "../../v1/namespaces", "-n", "encoded");

        assertThat(wire.requestsSince(before).getFirst().path()).isEqualTo("/v1/namespaces/encoded/tools/%2E%2E%2F%2E%2E%2Fv1%2Fnamespaces");
        // The server refuses encoded slashes in a path outright; nothing outside the one segment is addressed.
        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).singleElement().asString().matches("error: Request refused \\(request id [0-9a-f-]{36}\\)");
    }

    // --- describe, delete, version, errors ------------------------------------------------------

    @Test
    void describeShowsMetadataThenSpecAndStatusAsYaml() {
        api.namespace("described");
        String labels = "'labels':{'tier':'core','app':'git'}";
        api.apply("/v1/namespaces/described/tools/git-clone", "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'git-clone',"
                + labels + "},'spec':{'type':'exec','exec':{'command':['git']}}}");
        api.apply("/v1/namespaces/described/tools/git-clone", "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'git-clone',"
                + labels + "},'spec':{'type':'exec','exec':{'command':['git','pull']}}}");
        JsonNode tool = api.apply("/v1/namespaces/described/tools/git-clone", "{'apiVersion':'warden.dev/v1','kind':'Tool',"
                + "'metadata':{'name':'git-clone'," + labels + "},'spec':{'type':'exec','exec':{'command':['git','clone']}}}");
        Instant createdAt = created(tool);
        Instant updatedAt = Instant.parse(meta(tool, "updateTimestamp"));

        Cli.Result result = at(createdAt.plus(Duration.ofMinutes(150))).run("describe", "tool", "git-clone", "-n", "described");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("""
                Name:              git-clone
                Namespace:         described
                Labels:            app=git
                                   tier=core
                Annotations:       <none>
                UID:               %s
                Resource Version:  %s
                Generation:        3
                Created:           %s (2h ago)
                Updated:           %s (2h ago)
                Spec:
                  type: exec
                  exec:
                    command:
                      - git
                      - clone
                Status:            <none>
                """.formatted(meta(tool, "uid"), meta(tool, "resourceVersion"), createdAt, updatedAt));
        assertThat(cli.run("describe", "namespace", "described").out()).startsWith("Name:              described\nLabels:");
        assertThat(cli.run("describe", "tool", "nope", "-n", "described").errLines()).containsExactly("error: tool \"nope\" not found");
    }

    @Test
    void deleteReportsEachResourceAndMissingOnesWithExitOne() {
        api.namespace("deleting");
        api.tool("deleting", "a");
        api.tool("deleting", "b");

        Cli.Result result = cli.run("delete", "tools", "a", "x", "b", "-n", "deleting");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.outLines()).containsExactly("tool/a deleted", "tool/b deleted");
        assertThat(result.errLines()).containsExactly("error: tool \"x\" not found");
        assertThat(api.get("/v1/namespaces/deleting/tools/a").status()).isEqualTo(404);

        assertThat(cli.run("delete", "tool", "x", "-n", "deleting", "--ignore-not-found").exit()).isZero();
    }

    @Test
    void deleteFromFilesGoesInReverseSoTheNamespaceIsLast(@TempDir Path files) throws Exception {
        api.namespace("reversed");
        api.tool("reversed", "t");
        api.apply("/v1/roles/reversed-r", "{'apiVersion':'warden.dev/v1','kind':'Role','metadata':{'name':'reversed-r'},"
                + "'spec':{'rules':[{'resources':['tools'],'verbs':['get']}]}}");
        Files.writeString(files.resolve("all.yaml"), """
                kind: Namespace
                metadata: {name: reversed}
                ---
                kind: Tool
                metadata: {name: t, namespace: reversed}
                ---
                kind: Role
                metadata: {name: reversed-r}
                """);

        Cli.Result result = cli.run("delete", "-f", files.toString());

        // The server refuses to delete a namespace that still holds resources: the order matters.
        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.outLines()).containsExactly("tool/t deleted", "role/reversed-r deleted", "namespace/reversed deleted");
        assertThat(api.get("/v1/namespaces/reversed").status()).isEqualTo(404);
    }

    @Test
    void versionPrintsClientAndServer() {
        JsonNode version = api.get("/v1/version").json();
        int before = wire.requests().size();

        Cli.Result result = cli.run("version");

        assertThat(result.exit()).isZero();
        assertThat(result.outLines()).containsExactly(
                "Client Version: dev",
                "Server Version: " + version.path("version").asString(),
                "API Version:    warden.dev/v1",
                "Database:       sqlite");
        assertThat(wire.requestsSince(before).getFirst().header("User-Agent")).isEqualTo("warden-cli/dev");
    }

    @Test
    void problemsShowTitleDetailAndTheRequestId() {
        api.namespace("selective");

        Cli.Result problem = cli.run("get", "tools", "-n", "selective", "-l", "a in (b", "-v");

        assertThat(problem.exit()).isEqualTo(WardenCli.ERROR);
        // The id in the problem body is the one in the X-Request-Id header, which --verbose logs.
        assertThat(errors(problem)).containsExactly(
                "error: Bad request: unbalanced parentheses in label selector (request id " + lastRequestId(problem) + ")");
    }
}
