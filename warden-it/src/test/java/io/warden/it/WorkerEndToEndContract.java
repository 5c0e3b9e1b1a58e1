package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The execution plane for real: the server jar and worker jars as processes, tasks running as
 * real child processes, once per database. Leases are short (3 s) so lease expiry happens
 * within a test; the reaper runs every 200 ms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WorkerEndToEndContract {

    private static final String NS = "work";

    private ServerProcess server;
    private Http admin;
    private final List<WorkerProcess> workers = new ArrayList<>();
    private final List<Long> leftovers = new ArrayList<>();

    @TempDir
    Path tmp;

    abstract TestDatabase database();

    @BeforeAll
    void start() throws Exception {
        List<String> args = new ArrayList<>(CliEndToEndContract.serverArgs(database()));
        args.addAll(ServerProcess.RELAXED_LIMITS);
        args.addAll(List.of("--warden.tasks.lease-duration=3s", "--warden.tasks.reap-interval=200ms"));
        server = ServerProcess.start(ServerProcess.freePort(), args);
        Cli cli = Cli.admin(server.server(), database().dataDir());
        admin = new Http(server.server(), cli.token());
        admin.namespace(NS);
        // A tool that says where it runs, then sleeps as long as args.seconds says on its first
        // attempt only (so a retried run finishes at once), and prints JSON.
        admin.apply("/v1/namespaces/" + NS + "/tools/step", "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':"
                + "{'name':'step','namespace':'" + NS + "'},'spec':{'type':'exec','exec':{'command':['sh','-c',"
                + "'echo $$ > {{args.dir}}/pid-$WARDEN_TASK_ATTEMPT; echo started; cat >/dev/null; "
                + "if [ $WARDEN_TASK_ATTEMPT = 1 ]; then sleep {{args.seconds}}; fi; "
                + "echo \\\"{\\\\\\\"attempt\\\\\\\": $WARDEN_TASK_ATTEMPT}\\\" ; echo $WARDEN_TASK_ATTEMPT >> {{args.dir}}/runs'],"
                + "'env':{'GREETING':'hi'}},"
                + "'inputSchema':{'type':'object','required':['dir','seconds'],'properties':{'dir':{'type':'string',"
                + "'pattern':'^/[A-Za-z0-9/._-]+$'},'seconds':{'type':'integer','minimum':0,'maximum':120}}}}}");
    }

    /**
     * Each test's workers carry a label its tasks select, so a worker of an earlier test (a
     * killed one's claim may still wait on the server) never takes a later test's task.
     */
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName().substring(0, 20).toLowerCase(java.util.Locale.ROOT);
    }

    @AfterEach
    void stopWorkers() throws Exception {
        for (WorkerProcess w : workers) {
            w.close();
        }
        workers.clear();
        // A worker killed with SIGKILL leaves its task's process behind (the plain runner cannot
        // stop that; the sandbox can): tidy up what the tests started.
        leftovers.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        leftovers.clear();
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.stopCleanly();
        }
    }

    /** A Worker resource, its credential in a 0600 file, and a worker process using it. */
    private Path register(String name) throws Exception {
        admin.apply("/v1/namespaces/" + NS + "/workers/" + name, "{'apiVersion':'warden.dev/v1','kind':'Worker','metadata':"
                + "{'name':'" + name + "','namespace':'" + NS + "','labels':{'test':'" + testName + "'}},'spec':{'concurrency':4}}");
        Http.Reply r = admin.post("/v1/namespaces/" + NS + "/workers/" + name + "/credentials", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        Path file = tmp.resolve(name + ".credential");
        Files.writeString(file, r.json().path("token").asString() + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private WorkerProcess worker(Path credential, String... args) throws Exception {
        WorkerProcess w = WorkerProcess.start(server.server(), credential, args);
        workers.add(w);
        return w;
    }

    private String submit(Path dir, int seconds) {
        Http.Reply r = admin.post("/v1/namespaces/" + NS + "/tasks", "{\"tool\":\"step\",\"args\":{\"dir\":\"" + dir
                + "\",\"seconds\":" + seconds + "},\"selector\":{\"test\":\"" + testName + "\"},"
                + "\"retry\":{\"maxAttempts\":3,\"backoffSeconds\":0.1}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("id").asString();
    }

    private JsonNode task(String id) {
        return admin.get("/v1/namespaces/" + NS + "/tasks/" + id).json();
    }

    private JsonNode await(String id, Predicate<JsonNode> condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode t = task(id);
        while (!condition.test(t)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("task never " + what + ": " + t + "\nworker logs:\n"
                        + workers.stream().map(WorkerProcess::log).toList());
            }
            Thread.sleep(100);
            t = task(id);
        }
        return t;
    }

    private Path dir(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    private static long pid(Path dir, int attempt) throws Exception {
        Path file = dir.resolve("pid-" + attempt);
        for (int i = 0; i < 100 && !(Files.exists(file) && Files.readString(file).endsWith("\n")); i++) {
            Thread.sleep(100);
        }
        return Long.parseLong(Files.readString(file).strip());
    }

    private List<String> eventTexts(String id, String type) {
        List<String> out = new ArrayList<>();
        admin.get("/v1/namespaces/" + NS + "/tasks/" + id + "/events").json().path("items").forEach(e -> {
            if (e.path("type").asString().equals(type)) {
                out.add(e.path("data").path("text").asString());
            }
        });
        return out;
    }

    @Test
    void aWorkerRunsATaskAndReportsItsOutputAndResult() throws Exception {
        worker(register("w-basic"));
        Path dir = dir("basic");

        String id = submit(dir, 0);

        JsonNode t = await(id, x -> x.path("phase").asString().equals("Succeeded"), "succeeded");
        assertThat(t.path("worker").asString()).isEqualTo("w-basic");
        assertThat(t.path("exitCode").asInt()).isZero();
        assertThat(t.path("result").path("stdout").asString()).startsWith("started\n").contains("{\"attempt\": 1}");
        assertThat(t.path("result").path("result").path("attempt").asInt()).as("stdout is not only JSON").isZero();
        assertThat(String.join("", eventTexts(id, "stdout"))).contains("started");
        assertThat(Files.readAllLines(dir.resolve("runs"))).containsExactly("1");
    }

    @Test
    void aKilledWorkersTaskIsFinishedByAnotherExactlyOnceAndItsLateReportIsRefused() throws Exception {
        Path first = register("w-doomed");
        // One slot: once it runs the task it has no claim waiting on the server when it dies.
        WorkerProcess doomed = worker(first, "--concurrency", "1");
        Path dir = dir("killed");
        String id = submit(dir, 60);
        await(id, x -> x.path("phase").asString().equals("Running") && x.path("worker").asString().equals("w-doomed"), "ran");
        leftovers.add(pid(dir, 1));

        doomed.kill();
        worker(register("w-rescuer"));

        JsonNode t = await(id, x -> x.path("phase").asString().equals("Succeeded"), "succeeded after the lease expired");
        assertThat(t.path("worker").asString()).isEqualTo("w-rescuer");
        assertThat(t.path("attempt").asInt()).isEqualTo(2);
        Http late = new Http(server.server(), Files.readString(first).strip());
        Http.Reply refused = late.post("/v1/workers/tasks/" + id + "/complete", "{\"attempt\":1,\"exitCode\":0,\"stdout\":\"\",\"stderr\":\"\"}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(task(id).path("attempt").asInt()).isEqualTo(2);
        List<String> phases = new ArrayList<>();
        admin.get("/v1/namespaces/" + NS + "/tasks/" + id + "/events").json().path("items").forEach(e -> {
            if (e.path("type").asString().equals("phase")) {
                phases.add(e.path("data").path("phase").asString());
            }
        });
        assertThat(phases.stream().filter("Succeeded"::equals)).hasSize(1);
        assertThat(phases).containsSubsequence("Running", "Queued", "Running", "Succeeded");
        assertThat(Files.readAllLines(dir.resolve("runs"))).containsExactly("2");
    }

    @Test
    void cancellingARunningTaskKillsItsProcess() throws Exception {
        worker(register("w-cancel"));
        Path dir = dir("cancel");
        String id = submit(dir, 60);
        await(id, x -> x.path("phase").asString().equals("Running"), "ran");
        long pid = pid(dir, 1);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isTrue();

        Http.Reply cancel = admin.post("/v1/namespaces/" + NS + "/tasks/" + id + "/cancel", "{}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);

        JsonNode t = await(id, x -> x.path("phase").asString().equals("Cancelled"), "cancelled");
        assertThat(t.path("error").path("errorClass").asString()).contains("cancelled");
        await(id, x -> WorkerProcess.ended(pid), "had its process killed");
        assertThat(dir.resolve("runs")).doesNotExist();
    }

    @Test
    void onSigtermAWorkerHandsBackWhatItCannotFinishAndAnotherRunsIt() throws Exception {
        WorkerProcess leaving = worker(register("w-leaving"), "--grace-period", "1");
        Path dir = dir("sigterm");
        String id = submit(dir, 60);
        await(id, x -> x.path("phase").asString().equals("Running"), "ran");
        long pid = pid(dir, 1);

        leaving.terminate();

        assertThat(leaving.waitFor(30)).as(leaving.log()).isTrue();
        assertThat(leaving.log()).contains("shutting down", "handing back", "worker stopped");
        assertThat(WorkerProcess.ended(pid)).as("the task's process").isTrue();
        JsonNode back = task(id);
        assertThat(back.path("phase").asString()).as(back.toString()).isEqualTo("Queued");
        assertThat(back.path("attemptsUsed").asInt()).as("a hand-back does not count").isZero();

        worker(register("w-after"));
        JsonNode t = await(id, x -> x.path("phase").asString().equals("Succeeded"), "succeeded");
        assertThat(t.path("worker").asString()).isEqualTo("w-after");
    }

    @Test
    void aRevokedCredentialStopsTheWorker() throws Exception {
        Path credential = register("w-revoked");
        String revoked = Files.readString(credential).strip();
        WorkerProcess w = worker(credential);
        for (int i = 0; i < 300 && !w.log().contains("worker started"); i++) {
            Thread.sleep(100);
        }
        Http.Reply reissued = admin.post("/v1/namespaces/" + NS + "/workers/w-revoked/credentials", "{}");
        assertThat(reissued.status()).as("issuing a new credential revokes the old one").isEqualTo(201);

        assertThat(w.waitFor(45)).as(w.log()).isTrue();
        assertThat(w.exitValue()).isEqualTo(3);
        assertThat(w.log()).contains("refused").doesNotContain(revoked);
    }
}
