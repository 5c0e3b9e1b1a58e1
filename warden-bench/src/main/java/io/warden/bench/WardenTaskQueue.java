package io.warden.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.warden.server.WardenServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Warden itself: the real server, in this JVM, on a loopback port and the trial's database. Tasks
 * are submitted over HTTP as an admin would ({@code POST /v1/namespaces/bench/tasks}) and worked
 * over the worker protocol as {@code warden worker} does (claim with a long poll, complete), so
 * every request pays for authentication, JSON, args validation, the task's history and its audit
 * events (group-committed, waited for before the answer).
 *
 * <p>The API's per-caller rate limit (default 1,200 requests a minute) is lifted: it is a policy
 * setting, not a capacity, and the benchmark's one admin and one worker would hit it at once.
 */
final class WardenTaskQueue implements QueueUnderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        // Keep a connection per thread (up to 16 submitters, 16 slots and the claimer) alive
        // between requests; the JDK keeps only 5 idle ones to a server by default.
        System.setProperty("http.maxConnections", "64");
    }
    private static final String PASSWORD = "bench-password-not-a-secret-42";

    private final TrialDatabase database;
    private final ConfigurableApplicationContext context;
    private final URI base;
    private final String adminToken;
    private final String workerToken;

    WardenTaskQueue(TrialDatabase database) throws Exception {
        this.database = database;
        List<String> args = new ArrayList<>(List.of(database.serverArgs()));
        args.addAll(List.of("--warden.port=0", "--logging.structured.format.console=", "--logging.level.root=warn",
                "--warden.edge.api-rate-limit.per-minute=1000000000", "--warden.edge.api-rate-limit.burst=1000000000"));
        context = new SpringApplicationBuilder(WardenServer.class).run(args.toArray(String[]::new));
        base = URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort());
        String setup = Files.readString(database.dataDir.resolve("setup-token")).strip();
        call("POST", "/v1/setup", null, "{\"token\":\"" + setup + "\",\"username\":\"bench\",\"password\":\"" + PASSWORD + "\"}", 201);
        adminToken = call("POST", "/v1/auth/token", null, "{\"username\":\"bench\",\"password\":\"" + PASSWORD + "\"}", 201)
                .path("token").asString();
        String ns = TaskBacklog.NAMESPACE;
        apply("/v1/namespaces/" + ns, "{\"apiVersion\":\"warden.dev/v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
        apply("/v1/namespaces/" + ns + "/tools/" + TaskBacklog.TOOL, "{\"apiVersion\":\"warden.dev/v1\",\"kind\":\"Tool\","
                + "\"metadata\":{\"name\":\"" + TaskBacklog.TOOL + "\",\"namespace\":\"" + ns + "\"},\"spec\":" + TaskBacklog.TOOL_SPEC + "}");
        apply("/v1/namespaces/" + ns + "/workers/" + TaskBacklog.WORKER, "{\"apiVersion\":\"warden.dev/v1\",\"kind\":\"Worker\","
                + "\"metadata\":{\"name\":\"" + TaskBacklog.WORKER + "\",\"namespace\":\"" + ns + "\"},\"spec\":{\"concurrency\":256}}");
        workerToken = call("POST", "/v1/namespaces/" + ns + "/workers/" + TaskBacklog.WORKER + "/credentials", adminToken, "", 201)
                .path("token").asString();
    }

    private void apply(String path, String manifest) throws Exception {
        call("PUT", path, adminToken, manifest, 201);
    }

    /**
     * One request over a kept-alive connection, on the calling thread. The load generator shares
     * the server's cores, so it uses the JDK's blocking client, which costs a fraction of the
     * asynchronous {@code java.net.http.HttpClient}'s CPU per request (its selector thread and
     * completion stages took a quarter of all samples in a profile of this benchmark).
     */
    private JsonNode call(String method, String path, String token, String body, int expected) throws Exception {
        HttpURLConnection c = (HttpURLConnection) base.resolve(path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Content-Type", "application/json");
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // Buffered, not streamed: the request line, headers and body leave in one write, so
        // Nagle's algorithm never holds a body back waiting for the server to acknowledge the headers.
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
            out.write(bytes);
        }
        int status = c.getResponseCode();
        byte[] answer;
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            answer = in == null ? new byte[0] : in.readAllBytes(); // read to the end: the connection is reused
        }
        if (status != expected) {
            throw new IllegalStateException(method + " " + path + ": " + status + " " + new String(answer, StandardCharsets.UTF_8));
        }
        return answer.length == 0 ? JSON.missingNode() : JSON.readTree(answer);
    }

    @Override
    public String submit() throws Exception {
        return call("POST", "/v1/namespaces/" + TaskBacklog.NAMESPACE + "/tasks", adminToken,
                "{\"tool\":\"" + TaskBacklog.TOOL + "\",\"args\":{}}", 201).path("id").asString();
    }

    @Override
    public List<Claim> claim(int max) throws Exception {
        List<Claim> out = new ArrayList<>(max);
        for (JsonNode t : call("POST", "/v1/workers/claim", workerToken, "{\"max\":" + max + ",\"waitSeconds\":1}", 200).path("tasks")) {
            out.add(new Claim(t.path("id").asString(), t.path("attempt").asInt()));
        }
        return out;
    }

    @Override
    public void complete(Claim claim) throws Exception {
        call("POST", "/v1/workers/tasks/" + claim.id() + "/complete", workerToken,
                "{\"attempt\":" + claim.attempt() + ",\"exitCode\":0,\"stdout\":\"\",\"stderr\":\"\"}", 200);
    }

    @Override
    public void preload(int n) throws Exception {
        try (HikariDataSource ds = pool()) {
            TaskBacklog.preload(ds, n);
        }
    }

    @Override
    public long queued() throws Exception {
        try (HikariDataSource ds = pool()) {
            return TaskBacklog.queued(ds);
        }
    }

    private HikariDataSource pool() {
        return database.postgres() ? database.postgresPool("bench-preload", 1) : database.sqlitePool("bench-preload");
    }

    @Override
    public String name() {
        return "warden";
    }

    @Override
    public void close() {
        context.close();
    }
}
