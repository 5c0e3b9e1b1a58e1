package io.warden.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.cli.WardenCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code get --watch} against the real server: resuming after the server restarts, giving up when
 * it is gone, a connection that goes silent on the way, and the first connection failing. The
 * server sends keep-alives every 200 ms here (15 s by default), so that a watch can treat one
 * second of silence as a dead connection without waiting a minute.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WatchEndToEndTest {

    private static final String HEADER = "EVENT      NAME                       TYPE     AGE";

    private ServerProcess server;
    private Wire wire;
    private Cli cli;
    private String token;

    @BeforeAll
    void start() throws Exception {
        Path dataDir = Files.createTempDirectory("warden-it-").resolve("data");
        server = ServerProcess.startSqlite(dataDir, "--warden.watch.poll-interval=100ms", "--warden.watch.keep-alive=200ms");
        wire = Wire.to(server.port);
        cli = Cli.admin(wire.url(), dataDir);
        token = cli.token();
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

    private Http api() {
        return new Http(server.server(), token);
    }

    /** A CLI logged in as the admin that reaches the server at {@code url} (a wire of the test's own, or the server itself). */
    private Cli at(String url) {
        return Cli.withoutServer().writeConfig("""
                currentContext: it
                contexts:
                  - name: it
                    server: %s
                    token: %s
                """.formatted(url, token));
    }

    private static List<Wire.Request> watches(Wire wire, String namespace) {
        return wire.requests().stream()
                .filter(r -> r.path().equals("/v1/namespaces/" + namespace + "/tools") && "true".equals(r.query().get("watch")))
                .toList();
    }

    private static String errorPattern(String problem) {
        return "error: " + problem.replace("(", "\\(").replace(")", "\\)") + " \\(request id [0-9a-f-]{36}\\)";
    }

    @Test
    void resumesFromTheLastEventIdAfterTheServerRestarts() throws Exception {
        api().namespace("restarted");
        Instant now = Instant.now().plusSeconds(150);
        api().tool("restarted", "git-clone");
        try (Wire own = Wire.to(server.port)) {
            Cli.Running watch = at(own.url())
                    .with(c -> c.withClock(Clock.fixed(now, ZoneOffset.UTC))
                            .withWatchRetries(200, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(60)))
                    .start("get", "tools", "-n", "restarted", "--watch");
            watch.awaitOutLines(2);
            api().apply("/v1/namespaces/restarted/tools/git-clone", "{'apiVersion':'warden.dev/v1','kind':'Tool',"
                    + "'metadata':{'name':'git-clone'},'spec':{'type':'exec','exec':{'command':['git','clone']}}}");
            watch.awaitOutLines(3);
            long modified = api().currentVersion();

            server = server.restart();
            assertThat(cli.run("delete", "tool", "git-clone", "-n", "restarted").exit()).isZero();
            watch.awaitOutLines(4);
            long deleted = api().currentVersion();
            // With the namespace gone, the next reconnect is answered 404: a 4xx is final.
            assertThat(cli.run("delete", "namespace", "restarted").exit()).isZero();
            own.drop();
            Cli.Result result = watch.await(Duration.ofSeconds(30));

            assertThat(result.outLines()).containsExactly(
                    HEADER,
                    "ADDED      git-clone                  exec     2m",
                    "MODIFIED   git-clone                  exec     2m",
                    "DELETED    git-clone                  exec     2m");
            assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
            assertThat(result.errLines()).singleElement().asString()
                    .matches(errorPattern("Not found: namespace 'restarted' not found"));

            List<Wire.Request> requests = watches(own, "restarted");
            assertThat(requests).allSatisfy(r -> assertThat(r.header("Accept")).isEqualTo("text/event-stream"));
            assertThat(requests.getFirst().query()).containsExactly(Map.entry("watch", "true"));
            assertThat(requests.getFirst().header("Last-Event-ID")).isNull();
            List<Wire.Request> resumed = requests.subList(1, requests.size());
            assertThat(resumed).as("after the restart, then after the drop").hasSizeGreaterThanOrEqualTo(2);
            assertThat(resumed).allSatisfy(r -> {
                assertThat(r.query()).containsEntry("watch", "true");
                assertThat(r.header("Last-Event-ID")).isEqualTo(r.query().get("resourceVersion"));
            });
            assertThat(resumed.subList(0, resumed.size() - 1))
                    .allSatisfy(r -> assertThat(r.query()).containsEntry("resourceVersion", Long.toString(modified)));
            assertThat(resumed.getLast().query()).containsEntry("resourceVersion", Long.toString(deleted));
        }
    }

    @Test
    void givesUpAfterFiveConnectionsInARowWithoutEvents() throws Exception {
        api().namespace("given-up");
        api().tool("given-up", "a");
        long listed = api().currentVersion();
        String url = server.server();
        Cli.Running watch = at(url)
                .with(c -> c.withWatchRetries(5, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(10)))
                .start("get", "tools", "-n", "given-up", "-w", "-o", "name", "-v");
        watch.awaitOutLines(1);

        server.kill();
        Cli.Result result = watch.await(Duration.ofSeconds(30));
        server = server.startAgain();

        assertThat(result.outLines()).containsExactly("ADDED tool/a");
        String watchUrl = url + "/v1/namespaces/given-up/tools?watch=true";
        assertThat(result.errLines().stream().filter(l -> l.startsWith("[warden] > ")).toList()).containsExactly(
                "[warden] > GET " + watchUrl,
                "[warden] > GET " + watchUrl + "&resourceVersion=" + listed,
                "[warden] > GET " + watchUrl + "&resourceVersion=" + listed,
                "[warden] > GET " + watchUrl + "&resourceVersion=" + listed,
                "[warden] > GET " + watchUrl + "&resourceVersion=" + listed,
                "[warden] > GET " + watchUrl + "&resourceVersion=" + listed);
        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines().stream().filter(l -> !l.startsWith("[warden] ")).toList()).containsExactly(
                "error: lost the watch on " + url + " after 5 attempts to reconnect: connection refused");
    }

    @Test
    void aSilentConnectionIsDroppedAndResumed() throws Exception {
        api().namespace("silent");
        api().tool("silent", "a");
        long listed = api().currentVersion();
        try (Wire own = Wire.to(server.port)) {
            long start = System.nanoTime();
            Cli.Running watch = at(own.url())
                    .with(c -> c.withWatchRetries(5, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
                    .start("get", "tools", "-n", "silent", "-w", "-o", "name");
            watch.awaitOutLines(1);

            // Like a peer that vanished: the connection stays open, but nothing more arrives on it.
            own.silence();
            api().tool("silent", "b");
            watch.awaitOutLines(2);
            own.close();
            Cli.Result result = watch.await(Duration.ofSeconds(30));

            assertThat(result.outLines()).containsExactly("ADDED tool/a", "ADDED tool/b");
            Wire.Request resumed = watches(own, "silent").get(1);
            assertThat(resumed.query()).containsEntry("resourceVersion", Long.toString(listed));
            assertThat(resumed.header("Last-Event-ID")).isEqualTo(Long.toString(listed));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void jsonOutputPrintsOneEventPerLineAndANameFiltersEvents() throws Exception {
        api().namespace("filtered");
        api().tool("filtered", "a");
        api().apply("/v1/namespaces/filtered/tools/b", "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'b'},"
                + "'spec':{'type':'http','http':{'method':'GET','url':'https://status.example/'}}}");
        String stored = api().get("/v1/namespaces/filtered/tools/b").body();
        try (Wire own = Wire.to(server.port)) {
            Cli.Running watch = at(own.url())
                    .with(c -> c.withWatchRetries(5, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(10)))
                    .start("get", "tool", "b", "-n", "filtered", "-w", "-o", "json");
            watch.awaitOutLines(1);
            own.close();
            Cli.Result result = watch.await(Duration.ofSeconds(30));

            assertThat(result.outLines()).containsExactly("{\"type\":\"ADDED\",\"object\":" + stored + "}");
        }
    }

    @Test
    void aFailingFirstConnectionIsReportedAtOnce() {
        int before = wire.requests().size();

        Cli.Result result = cli.run("get", "tools", "-n", "nowhere", "-w");

        assertThat(result.exit()).isEqualTo(WardenCli.ERROR);
        assertThat(result.errLines()).singleElement().asString().matches(errorPattern("Not found: namespace 'nowhere' not found"));
        assertThat(wire.requestsSince(before)).hasSize(1);
    }
}
