package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.cli.WardenCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code warden run}, {@code tasks ...} and {@code workers ...} against the real server. The test
 * itself is the worker: it registers one with the CLI and, with the credential the CLI printed,
 * claims, reports and completes tasks over the worker protocol while the CLI waits or follows.
 * Each test works in a namespace of its own, so its workers only ever see its own tasks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TaskCommandsEndToEndTest {

    private static final String REQUEST_ID = " \\(request id [0-9a-f-]{36}\\)";
    private static final String UUID = "[0-9a-f-]{36}";

    private ServerProcess server;
    private Wire wire;
    private Cli cli;
    private Http api;
    private Path files;

    @BeforeAll
    void start() throws Exception {
        Path dataDir = Files.createTempDirectory("warden-it-").resolve("data");
        server = ServerProcess.startSqlite(dataDir);
        wire = Wire.to(server.port);
        cli = Cli.admin(wire.url(), dataDir);
        api = new Http(server.server(), cli.token());
        files = Files.createTempDirectory("warden-it-tasks-");
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

    // --- helpers: a namespace with a tool, and the test as a worker ------------------------------

    /** A namespace with the tool {@code echo}, whose args are {@code {"text": a string of at most 20}}. */
    private void namespace(String ns) {
        api.namespace(ns);
        api.apply("/v1/namespaces/" + ns + "/tools/echo", "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'echo',"
                + "'namespace':'" + ns + "'},'spec':{'type':'exec','exec':{'command':['echo','hello']},"
                + "'inputSchema':{'type':'object','properties':{'text':{'type':'string','maxLength':20}},"
                + "'additionalProperties':false}}}");
    }

    private static Cli.Result succeeds(Cli.Result result) {
        assertThat(result.exit()).as(result.toString()).isZero();
        return result;
    }

    /** Registers a worker with the CLI; the credential it printed, as a client of the worker protocol. */
    private Http worker(String ns, String name, String... options) {
        List<String> args = new ArrayList<>(List.of("workers", "register", name, "-n", ns));
        args.addAll(List.of(options));
        Cli.Result result = succeeds(cli.run(args.toArray(String[]::new)));
        return new Http(server.server(), result.out().strip());
    }

    /** A task claimed by a worker: its id and the attempt (fencing token) to report with. */
    private record Claimed(String id, int attempt) {
    }

    /** Claims one task, waiting for it up to 20 s. */
    private static Claimed claim(Http worker) {
        Http.Reply reply = worker.post("/v1/workers/claim", "{\"max\":1,\"waitSeconds\":20}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode tasks = reply.json().path("tasks");
        assertThat(tasks).as("a task to claim").hasSize(1);
        return new Claimed(tasks.get(0).path("id").asString(), tasks.get(0).path("attempt").asInt());
    }

    /** Streams output: pairs of event type ({@code stdout}, {@code stderr}) and text. */
    private static void output(Http worker, Claimed task, String... typeAndText) {
        ObjectNode body = Http.JSON.createObjectNode().put("attempt", task.attempt());
        var events = body.putArray("events");
        for (int i = 0; i < typeAndText.length; i += 2) {
            events.addObject().put("type", typeAndText[i]).putObject("data").put("text", typeAndText[i + 1]);
        }
        assertThat(worker.post("/v1/workers/tasks/" + task.id() + "/events", body.toString()).status()).isEqualTo(204);
    }

    private static void complete(Http worker, Claimed task, String stdout) {
        ObjectNode body = Http.JSON.createObjectNode().put("attempt", task.attempt()).put("exitCode", 0).put("stdout", stdout)
                .put("stderr", "").put("stdoutTruncated", false).put("stderrTruncated", false);
        body.putObject("result").put("ok", true);
        Http.Reply reply = worker.post("/v1/workers/tasks/" + task.id() + "/complete", body.toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    private static String fail(Http worker, Claimed task, String errorClass, String message) {
        ObjectNode body = Http.JSON.createObjectNode().put("attempt", task.attempt()).put("exitCode", 3)
                .put("errorClass", errorClass).put("message", message);
        Http.Reply reply = worker.post("/v1/workers/tasks/" + task.id() + "/fail", body.toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("phase").asString();
    }

    private JsonNode task(String ns, String id) {
        return api.get("/v1/namespaces/" + ns + "/tasks/" + id).json();
    }

    /** Submits with the CLI; the id it printed. */
    private String run(String ns, String... options) {
        List<String> args = new ArrayList<>(List.of("run", "echo", "-n", ns));
        args.addAll(List.of(options));
        Cli.Result result = succeeds(cli.run(args.toArray(String[]::new)));
        assertThat(result.out()).matches(UUID + "\n");
        return result.out().strip();
    }

    private Cli at(Instant now) {
        return cli.with(c -> c.withClock(Clock.fixed(now, ZoneOffset.UTC)));
    }

    // --- run ------------------------------------------------------------------------------------

    @Test
    void runSubmitsWhatItIsGivenAndPrintsTheId() throws Exception {
        namespace("runs");
        Path args = Files.writeString(files.resolve("args.json"), "{\"text\": \"from a file\"}");
        int before = wire.requests().size();

        String id = run("runs", "--args", "{\"text\": \"hi\"}", "--priority", "5", "--selector", "gpu=true,zone=eu",
                "--label", "team=core", "--label", "run=1", "--max-attempts", "2");

        Wire.Request sent = wire.requestsSince(before).getFirst();
        assertThat(sent.line()).isEqualTo("POST /v1/namespaces/runs/tasks");
        assertThat(sent.header("Idempotency-Key")).isNull();
        assertThat(Http.JSON.readTree(sent.body())).isEqualTo(Http.JSON.readTree("""
                {"tool": "echo", "args": {"text": "hi"}, "priority": 5, "retry": {"maxAttempts": 2},
                 "selector": {"gpu": "true", "zone": "eu"}, "labels": {"team": "core", "run": "1"}}"""));
        JsonNode task = task("runs", id);
        assertThat(task.path("phase").asString()).isEqualTo("Queued");
        assertThat(task.path("args").path("text").asString()).isEqualTo("hi");
        assertThat(task.path("labels").path("team").asString()).isEqualTo("core");

        assertThat(task("runs", run("runs", "--args", "@" + args)).path("args").path("text").asString()).isEqualTo("from a file");
        Cli.Result fromStdin = succeeds(cli.runWithInput("{\"text\": \"from stdin\"}", "run", "echo", "-n", "runs", "--args", "-"));
        assertThat(task("runs", fromStdin.out().strip()).path("args").path("text").asString()).isEqualTo("from stdin");

        Cli.Result json = succeeds(cli.run("run", "echo", "-n", "runs", "-o", "json"));
        JsonNode printed = Http.JSON.readTree(json.out());
        assertThat(printed.path("tool").asString()).isEqualTo("echo");
        assertThat(printed.path("phase").asString()).isEqualTo("Queued");
        assertThat(succeeds(cli.run("run", "echo", "-n", "runs", "-o", "name")).out()).matches(UUID + "\n");
    }

    @Test
    void anIdempotencyKeySubmitsOnce() {
        namespace("once");
        int before = wire.requests().size();

        String first = run("once", "--args", "{\"text\": \"hi\"}", "--idempotency-key", "build-42");
        Cli.Result again = succeeds(cli.run("run", "echo", "-n", "once", "--args", "{\"text\": \"hi\"}",
                "--idempotency-key", "build-42"));
        Cli.Result different = cli.run("run", "echo", "-n", "once", "--args", "{\"text\": \"ho\"}", "--idempotency-key", "build-42");

        assertThat(wire.requestsSince(before).getFirst().header("Idempotency-Key")).isEqualTo("build-42");
        assertThat(again.out().strip()).isEqualTo(first);
        assertThat(again.errLines()).containsExactly("task " + first + " was submitted before with this idempotency key (Queued)");
        assertThat(different.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(different.errLines()).singleElement().asString().matches("error: Conflict: this Idempotency-Key was used for"
                + " a different request \\(task " + first + "\\)" + REQUEST_ID);
    }

    @Test
    void refusedSubmissionsNameTheFields() {
        namespace("refused");

        Cli.Result badArgs = cli.run("run", "echo", "-n", "refused", "--args", "{\"text\": 7, \"other\": 1}");
        Cli.Result badTask = cli.run("run", "echo", "-n", "refused", "--priority", "5000", "--max-attempts", "0");
        Cli.Result noTool = cli.run("run", "nosuch", "-n", "refused");
        Cli.Result noNamespace = cli.run("run", "echo", "-n", "nowhere");

        assertThat(badArgs.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(badArgs.errLines().getFirst()).matches("error: Invalid args: 2 fields are invalid" + REQUEST_ID);
        assertThat(badArgs.errLines().subList(1, badArgs.errLines().size()))
                .anySatisfy(line -> assertThat(line).startsWith("  args.text: "))
                .anySatisfy(line -> assertThat(line).startsWith("  args").contains("other"));
        assertThat(badTask.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(badTask.errLines()).hasSize(3);
        assertThat(badTask.errLines().getFirst()).matches("error: Invalid task: 2 fields are invalid" + REQUEST_ID);
        assertThat(badTask.errLines().subList(1, 3)).containsExactlyInAnyOrder(
                "  priority: must be an integer from -1000 to 1000",
                "  retry.maxAttempts: must be an integer from 1 to 100");
        assertThat(noTool.errLines()).containsExactly(noTool.errLines().getFirst(), "  tool: no Tool 'nosuch' in namespace 'refused'");
        assertThat(noNamespace.errLines()).singleElement().asString()
                .matches("error: Not found: namespace 'nowhere' does not exist" + REQUEST_ID);
        assertThat(badArgs.out() + badTask.out() + noTool.out()).isEmpty();
    }

    @Test
    void runWaitWaitsOnTheEventStreamAndPrintsASummary() throws Exception {
        namespace("waits");
        Http worker = worker("waits", "w");
        int before = wire.requests().size();

        Cli.Running waiting = cli.start("run", "echo", "-n", "waits", "--args", "{\"text\": \"hi\"}", "--wait");
        Claimed claimed = claim(worker);
        output(worker, claimed, "stdout", "hi\n");
        complete(worker, claimed, "hi\n");
        Cli.Result result = waiting.await(Duration.ofSeconds(30));

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.errLines()).containsExactly("task " + claimed.id() + " submitted");
        List<String> lines = result.outLines();
        assertThat(lines.subList(0, 6)).containsExactly(
                "Task:      " + claimed.id(),
                "Tool:      echo",
                "Phase:     Succeeded",
                "Attempts:  1 of 3",
                "Worker:    w",
                "Exit code: 0");
        assertThat(lines.get(6)).matches("Duration:  [0-9.]+s");
        assertThat(lines.subList(7, lines.size())).containsExactly("Result:    {\"ok\":true}", "Stdout:", "  hi");
        // One stream of events, then one read of the finished task: no polling.
        List<Wire.Request> sent = wire.requestsSince(before);
        String path = "/v1/namespaces/waits/tasks/" + claimed.id();
        assertThat(Wire.lines(sent)).containsExactly("POST /v1/namespaces/waits/tasks", "GET " + path + "/events", "GET " + path);
        assertThat(sent.get(1).query()).containsExactly(Map.entry("follow", "true"));
        assertThat(sent.get(1).header("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void runWaitExitsOneWhenTheTaskDoesNotSucceed() throws Exception {
        namespace("waits-failed");
        Http worker = worker("waits-failed", "w");

        Cli.Running waiting = cli.start("run", "echo", "-n", "waits-failed", "--max-attempts", "1", "--wait", "-o", "json");
        Claimed claimed = claim(worker);
        assertThat(fail(worker, claimed, "exit-nonzero", "exit code 3")).isEqualTo("DeadLettered");
        Cli.Result result = waiting.await(Duration.ofSeconds(30));

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(Http.JSON.readTree(result.out()).path("phase").asString()).isEqualTo("DeadLettered");
        assertThat(result.errLines()).containsExactly("task " + claimed.id() + " submitted",
                "error: task " + claimed.id() + " DeadLettered (error class exit-nonzero): exit code 3");
    }

    @Test
    void runFollowStreamsTheOutputWhileTheTaskRuns() throws Exception {
        namespace("follows");
        Http worker = worker("follows", "w");

        Cli.Running following = cli.start("run", "echo", "-n", "follows", "--args", "{\"text\": \"hi\"}", "--follow");
        Claimed claimed = claim(worker);
        output(worker, claimed, "stdout", "one\n");
        following.awaitOutLine("one"::equals);
        output(worker, claimed, "stderr", "careful\n", "stdout", "two\n", "progress", "50%");
        following.awaitOutLine("two"::equals);
        complete(worker, claimed, "one\ntwo\n");
        Cli.Result result = following.await(Duration.ofSeconds(30));

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo("one\ntwo\n");
        assertThat(result.errLines()).containsExactly("task " + claimed.id() + " submitted", "careful");

        Cli.Running failing = cli.start("run", "echo", "-n", "follows", "--follow");
        Claimed second = claim(worker);
        output(worker, second, "stderr", "no such file\n");
        fail(worker, second, "invalid-template", "bad template");
        assertThat(task("follows", second.id()).path("phase").asString()).isEqualTo("Queued");
        Claimed retried = claim(worker);
        output(worker, retried, "stderr", "still no such file\n");
        fail(worker, retried, "invalid-template", "bad template");
        Claimed last = claim(worker);
        fail(worker, last, "invalid-template", "bad template");
        Cli.Result failed = failing.await(Duration.ofSeconds(30));

        assertThat(failed.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(failed.out()).isEmpty();
        assertThat(failed.errLines()).containsExactly("task " + second.id() + " submitted", "no such file", "--- attempt 2 ---",
                "still no such file", "error: task " + second.id() + " DeadLettered (error class invalid-template): bad template");
    }

    // --- tasks ----------------------------------------------------------------------------------

    @Test
    void tasksListShowsTheNewestFirstAndFilters() {
        namespace("listing");
        Http worker = worker("listing", "w");
        String a = run("listing", "--label", "team=a");
        Claimed claimed = claim(worker);
        assertThat(claimed.id()).isEqualTo(a);
        complete(worker, claimed, "");
        String b = run("listing", "--label", "team=b", "--max-attempts", "1");
        String c = run("listing", "--label", "team=a,tier=1");
        Instant later = Instant.parse(task("listing", a).path("createdAt").asString()).plus(Duration.ofMinutes(150));

        Cli.Result table = succeeds(at(later).run("tasks", "list", "-n", "listing"));

        assertThat(TableOutput.rows(table.outLines(), "ID", "TOOL", "PHASE", "ATTEMPT", "WORKER", "AGE")).containsExactly(
                List.of(c, "echo", "Queued", "0/3", "<none>", "2h"),
                List.of(b, "echo", "Queued", "0/1", "<none>", "2h"),
                List.of(a, "echo", "Succeeded", "1/3", "w", "2h"));
        assertThat(table.err()).isEmpty();
        assertThat(ids("tasks", "list", "-n", "listing", "--phase", "succeeded")).containsExactly(a);
        assertThat(ids("tasks", "list", "-n", "listing", "-l", "team=a")).containsExactly(c, a);
        assertThat(ids("tasks", "list", "-n", "listing", "-l", "team=a", "-l", "tier=1")).containsExactly(c);
        assertThat(ids("tasks", "list", "-n", "listing", "--tool", "echo", "--submitter", "user:admin")).containsExactly(c, b, a);
        assertThat(ids("tasks", "list", "-n", "listing", "--tool", "other")).isEmpty();

        Cli.Result limited = succeeds(cli.run("tasks", "list", "-n", "listing", "--limit", "2", "-o", "name"));
        assertThat(limited.outLines()).containsExactly(c, b);
        assertThat(limited.errLines()).containsExactly("Showing the newest 2 tasks; --limit N shows more.");
        assertThat(succeeds(cli.run("tasks", "list", "-n", "listing", "--limit", "3", "-o", "name")).err()).isEmpty();

        JsonNode json = Http.JSON.readTree(succeeds(cli.run("tasks", "list", "-n", "listing", "-o", "json")).out());
        assertThat(json.path("items").findValuesAsString("id")).containsExactly(c, b, a);

        Cli.Result empty = succeeds(cli.run("tasks", "list", "-n", "listing", "--phase", "Running"));
        assertThat(empty.out()).isEmpty();
        assertThat(empty.errLines()).containsExactly("No tasks found in listing namespace.");
    }

    private List<String> ids(String... args) {
        List<String> withName = new ArrayList<>(List.of(args));
        withName.addAll(List.of("-o", "name"));
        return succeeds(cli.run(withName.toArray(String[]::new))).outLines();
    }

    @Test
    void tasksListFollowsContinueTokensUpToTheLimit() {
        namespace("many");
        for (int i = 0; i < 502; i++) {
            assertThat(api.post("/v1/namespaces/many/tasks", "{\"tool\":\"echo\"}").status()).isEqualTo(201);
        }
        int before = wire.requests().size();

        Cli.Result all = succeeds(cli.run("tasks", "list", "-n", "many", "--limit", "1000", "-o", "name"));

        assertThat(all.outLines()).hasSize(502).doesNotHaveDuplicates();
        assertThat(all.err()).isEmpty();
        List<Wire.Request> pages = wire.requestsSince(before);
        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).query()).containsExactly(Map.entry("limit", "500"));
        assertThat(pages.get(1).query()).containsEntry("limit", "500").containsKey("continue");

        before = wire.requests().size();
        Cli.Result limited = succeeds(cli.run("tasks", "list", "-n", "many", "--limit", "501", "-o", "name"));
        assertThat(limited.outLines()).containsExactlyElementsOf(all.outLines().subList(0, 501));
        assertThat(limited.errLines()).containsExactly("Showing the newest 501 tasks; --limit N shows more.");
        assertThat(wire.requestsSince(before).get(1).query()).as("one more than needed: is there more?").containsEntry("limit", "2");

        Cli.Result byDefault = succeeds(cli.run("tasks", "list", "-n", "many"));
        assertThat(byDefault.outLines()).hasSize(101);
        assertThat(byDefault.errLines()).containsExactly("Showing the newest 100 tasks; --limit N shows more.");
    }

    @Test
    void tasksGetShowsOneTask() {
        namespace("getting");
        String id = run("getting", "--args", "{\"text\": \"hi\"}");
        Instant later = Instant.parse(task("getting", id).path("createdAt").asString()).plusSeconds(90);

        Cli.Result table = succeeds(at(later).run("tasks", "get", id, "-n", "getting"));
        Cli.Result yaml = succeeds(cli.run("tasks", "get", id, "-n", "getting", "-o", "yaml"));
        Cli.Result missing = cli.run("tasks", "get", "nope", "-n", "getting");

        assertThat(TableOutput.rows(table.outLines(), "ID", "TOOL", "PHASE", "ATTEMPT", "WORKER", "AGE"))
                .containsExactly(List.of(id, "echo", "Queued", "0/3", "<none>", "1m"));
        JsonNode fromYaml = tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(yaml.out());
        assertThat(fromYaml).isEqualTo(task("getting", id));
        assertThat(missing.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(missing.errLines()).containsExactly("error: task \"nope\" not found in namespace \"getting\"");
    }

    @Test
    void tasksLogsPrintsTheOutputAndFollowResumesAfterADroppedConnection() throws Exception {
        namespace("logs");
        Http worker = worker("logs", "w");
        String id = run("logs");
        Claimed claimed = claim(worker);
        output(worker, claimed, "stderr", "warming up\n", "stdout", "a\n");

        Cli.Result sofar = succeeds(cli.run("tasks", "logs", id, "-n", "logs"));
        assertThat(sofar.out()).isEqualTo("a\n");
        assertThat(sofar.err()).isEqualTo("warming up\n");

        try (Wire own = Wire.to(server.port)) {
            Cli.Running follow = Cli.withoutServer().writeConfig("""
                            currentContext: it
                            contexts:
                              - name: it
                                server: %s
                                token: %s
                            """.formatted(own.url(), cli.token()))
                    .with(c -> c.withWatchRetries(5, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10)))
                    .start("tasks", "logs", id, "-n", "logs", "-f");
            follow.awaitOutLine("a"::equals);
            long lastSeq = 0;
            for (JsonNode e : api.get("/v1/namespaces/logs/tasks/" + id + "/events").json().path("items")) {
                lastSeq = e.path("seq").asLong();
            }
            own.drop();
            output(worker, claimed, "stdout", "b\n");
            follow.awaitOutLine("b"::equals);
            complete(worker, claimed, "a\nb\n");
            Cli.Result result = follow.await(Duration.ofSeconds(30));

            assertThat(result.exit()).as(result.toString()).isZero();
            assertThat(result.out()).as("nothing twice, nothing lost").isEqualTo("a\nb\n");
            assertThat(result.err()).isEqualTo("warming up\n");
            List<Wire.Request> streams = own.requests();
            assertThat(streams).hasSize(2);
            assertThat(streams.get(0).header("Last-Event-ID")).isNull();
            assertThat(streams.get(1).header("Last-Event-ID")).isEqualTo(Long.toString(lastSeq));
            assertThat(streams.get(1).query()).containsEntry("follow", "true").containsEntry("after", Long.toString(lastSeq));
        }

        Cli.Result missing = cli.run("tasks", "logs", "nope", "-n", "logs", "-f");
        assertThat(missing.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(missing.errLines()).containsExactly("error: task \"nope\" not found in namespace \"logs\"");
    }

    @Test
    void cancelAndRetrySayWhatHappenedAndWhyNot() {
        namespace("acts");
        Http worker = worker("acts", "w");
        String queued = run("acts");
        Claimed running = claim(worker);
        assertThat(running.id()).isEqualTo(queued);
        String waiting = run("acts", "--max-attempts", "1");

        assertThat(succeeds(cli.run("tasks", "cancel", waiting, "-n", "acts")).outLines())
                .containsExactly("task " + waiting + " cancelled");
        assertThat(succeeds(cli.run("tasks", "cancel", queued, "-n", "acts")).outLines())
                .containsExactly("task " + queued + ": cancel requested; its worker stops it at its next heartbeat");
        assertThat(task("acts", queued).path("cancelRequested").asBoolean()).isTrue();

        Cli.Result again = cli.run("tasks", "cancel", waiting, "-n", "acts");
        assertThat(again.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(again.errLines()).singleElement().asString()
                .matches("error: cannot cancel task " + waiting + ": Conflict: task is already Cancelled" + REQUEST_ID);
        Cli.Result notDead = cli.run("tasks", "retry", waiting, "-n", "acts");
        assertThat(notDead.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(notDead.errLines()).singleElement().asString().matches("error: cannot retry task " + waiting
                + ": Conflict: only a dead-lettered task can be retried; this one is Cancelled" + REQUEST_ID);

        String dead = run("acts", "--max-attempts", "1");
        fail(worker, running, "cancelled", "killed");
        Claimed last = claim(worker);
        assertThat(last.id()).isEqualTo(dead);
        assertThat(fail(worker, last, "exit-nonzero", "exit code 3")).isEqualTo("DeadLettered");
        assertThat(succeeds(cli.run("tasks", "retry", dead, "-n", "acts")).outLines()).containsExactly("task " + dead + " queued again");
        assertThat(task("acts", dead).path("phase").asString()).isEqualTo("Queued");

        Cli.Result missing = cli.run("tasks", "cancel", "nope", "-n", "acts");
        assertThat(missing.errLines()).containsExactly("error: task \"nope\" not found in namespace \"acts\"");
    }

    // --- workers --------------------------------------------------------------------------------

    @Test
    void workersRegisterShowsTheCredentialOnceAndKeepsWhatItIsNotTold() throws Exception {
        namespace("reg");

        Cli.Result first = succeeds(cli.run("workers", "register", "build-1", "-n", "reg", "--labels", "gpu=true,zone=eu",
                "--concurrency", "2"));

        assertThat(first.out()).matches("wdw_[A-Za-z0-9_-]{20,}\n");
        String credential = first.out().strip();
        assertThat(first.errLines()).hasSize(3);
        assertThat(first.errLines().get(0)).isEqualTo("worker/build-1 created");
        assertThat(first.errLines().get(1)).matches("Credential of worker/build-1 issued \\(id " + UUID
                + "\\); earlier ones no longer work. It is shown only this once: store it now.");
        assertThat(first.errLines().get(2))
                .isEqualTo("Start the worker with it in a file: warden worker --server " + wire.url() + " --credential-file FILE");
        assertThat(claimStatus(credential)).isEqualTo(200);
        JsonNode stored = api.get("/v1/namespaces/reg/workers/build-1").json();
        assertThat(stored.path("metadata").path("labels")).isEqualTo(Http.JSON.readTree("{\"gpu\":\"true\",\"zone\":\"eu\"}"));
        assertThat(stored.path("spec").path("concurrency").asInt()).isEqualTo(2);

        Path file = files.resolve("build-1.credential");
        Cli.Result toFile = succeeds(cli.run("workers", "register", "build-1", "-n", "reg", "--credential-file", file.toString(),
                "-v"));
        String inFile = Files.readString(file);
        assertThat(inFile).matches("wdw_[A-Za-z0-9_-]{20,}\n").isNotEqualTo(credential + "\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(toFile.out()).isEmpty();
        assertThat(toFile.err()).as("the credential is shown nowhere else").doesNotContain(inFile.strip())
                .contains("worker/build-1 unchanged")
                .contains("Start the worker: warden worker --server " + wire.url() + " --credential-file " + file);
        assertThat(claimStatus(credential)).as("the earlier credential is revoked").isEqualTo(401);
        assertThat(claimStatus(inFile.strip())).isEqualTo(200);
        assertThat(api.get("/v1/namespaces/reg/workers/build-1").json().path("metadata").path("labels"))
                .as("labels not given are kept").isEqualTo(stored.path("metadata").path("labels"));

        int before = wire.requests().size();
        Cli.Result refused = cli.run("workers", "register", "build-1", "-n", "reg", "--credential-file", file.toString());
        assertThat(refused.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(refused.errLines()).containsExactly("error: " + file + " exists; nothing was registered (--force replaces it)");
        assertThat(wire.requestsSince(before)).isEmpty();
        assertThat(Files.readString(file)).isEqualTo(inFile);
        assertThat(claimStatus(inFile.strip())).isEqualTo(200);

        succeeds(cli.run("workers", "register", "build-1", "-n", "reg", "--credential-file", file.toString(), "--force",
                "--concurrency", "3", "-l", "gpu=false"));
        String replaced = Files.readString(file);
        assertThat(replaced).isNotEqualTo(inFile);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(claimStatus(inFile.strip())).isEqualTo(401);
        assertThat(claimStatus(replaced.strip())).isEqualTo(200);
        JsonNode updated = api.get("/v1/namespaces/reg/workers/build-1").json();
        assertThat(updated.path("metadata").path("labels")).isEqualTo(Http.JSON.readTree("{\"gpu\":\"false\"}"));
        assertThat(updated.path("spec").path("concurrency").asInt()).isEqualTo(3);

        Cli.Result invalid = cli.run("workers", "register", "build-2", "-n", "reg", "--concurrency", "0");
        assertThat(invalid.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(invalid.errLines().getFirst()).startsWith("error: worker/build-2: ");
        assertThat(invalid.errLines()).anySatisfy(line -> assertThat(line).startsWith("  spec.concurrency: "));
        assertThat(invalid.out()).isEmpty();
        assertThat(api.get("/v1/namespaces/reg/workers/build-2").status()).isEqualTo(404);
    }

    private int claimStatus(String credential) {
        return new Http(server.server(), credential).post("/v1/workers/claim", "{\"max\":1,\"waitSeconds\":0}").status();
    }

    @Test
    void workersListShowsWhatEachRunsAndDeleteEndsTheirCredentials() {
        namespace("fleet");
        Http gpu = worker("fleet", "gpu-1", "--labels", "gpu=true", "--concurrency", "8");
        Http plain = worker("fleet", "plain-1");
        String id = run("fleet", "--selector", "gpu=true");
        assertThat(claim(gpu).id()).isEqualTo(id);
        Instant later = Instant.parse(api.get("/v1/namespaces/fleet/workers/plain-1").json()
                .path("metadata").path("creationTimestamp").asString()).plus(Duration.ofHours(3));

        Cli.Result table = succeeds(at(later).run("workers", "list", "-n", "fleet"));

        assertThat(TableOutput.rows(table.outLines(), "NAME", "LABELS", "CONCURRENCY", "RUNNING", "AGE")).containsExactly(
                List.of("gpu-1", "gpu=true", "8", "1", "3h"),
                List.of("plain-1", "<none>", "4", "0", "3h"));
        assertThat(TableOutput.rows(succeeds(at(later).run("get", "workers", "-n", "fleet")).outLines(),
                "NAME", "LABELS", "CONCURRENCY", "AGE")).containsExactly(
                List.of("gpu-1", "gpu=true", "8", "3h"),
                List.of("plain-1", "<none>", "4", "3h"));
        assertThat(succeeds(cli.run("workers", "list", "-n", "fleet", "-o", "name")).outLines())
                .containsExactly("worker/gpu-1", "worker/plain-1");
        assertThat(Http.JSON.readTree(succeeds(cli.run("workers", "list", "-n", "fleet", "-o", "json")).out()).path("kind").asString())
                .isEqualTo("WorkerList");

        assertThat(succeeds(cli.run("workers", "delete", "plain-1", "-n", "fleet")).outLines()).containsExactly("worker/plain-1 deleted");
        assertThat(plain.post("/v1/workers/claim", "{\"max\":1,\"waitSeconds\":0}").status()).isEqualTo(401);
        Cli.Result gone = cli.run("workers", "delete", "plain-1", "-n", "fleet");
        assertThat(gone.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(gone.errLines()).containsExactly("error: worker \"plain-1\" not found");

        api.namespace("idle");
        Cli.Result none = succeeds(cli.run("workers", "list", "-n", "idle"));
        assertThat(none.out()).isEmpty();
        assertThat(none.errLines()).containsExactly("No workers found in idle namespace.");
    }
}
