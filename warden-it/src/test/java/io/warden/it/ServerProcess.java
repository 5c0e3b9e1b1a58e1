package io.warden.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real server jar, started as a child process on a free loopback port. */
final class ServerProcess implements AutoCloseable {

    static final Path SERVER_JAR = Path.of(System.getProperty("warden.server.jar", "../warden-server/target/warden-server.jar"));
    static final Path ROOT = Path.of(System.getProperty("warden.root.dir", "..")).toAbsolutePath().normalize();
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    /**
     * Login and setup are rate limited per client address, and every test talks from 127.0.0.1:
     * a class that logs in a few dozen times would be told to slow down. The limits are tested
     * in warden-server; here they are raised out of the way.
     */
    static final List<String> RELAXED_LIMITS = List.of(
            "--warden.edge.credential-rate-limit.per-minute=60000", "--warden.edge.credential-rate-limit.burst=1000");

    private final Process process;
    private final Path log;
    private final List<String> args;
    private final Map<String, String> env;
    final int port;

    private ServerProcess(Process process, Path log, List<String> args, Map<String, String> env, int port) {
        this.process = process;
        this.log = log;
        this.args = List.copyOf(args);
        this.env = Map.copyOf(env);
        this.port = port;
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server and waits until {@code /readyz} answers 200 (or the process dies). */
    static ServerProcess start(List<String> args, Map<String, String> env, int port) throws Exception {
        Process p = launch(args, env);
        ServerProcess server = new ServerProcess(p, logOf(p), args, env, port);
        server.awaitReady();
        return server;
    }

    static ServerProcess start(int port, List<String> dbArgs) throws Exception {
        List<String> args = new ArrayList<>(dbArgs);
        args.add("--port");
        args.add(Integer.toString(port));
        return start(args, Map.of(), port);
    }

    /**
     * A server of its own for one test class: SQLite in a fresh data directory, a free port, the
     * login rate limits relaxed, and {@code extraArgs}.
     */
    static ServerProcess startSqlite(Path dataDir, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("--data-dir=" + dataDir));
        args.addAll(RELAXED_LIMITS);
        args.addAll(List.of(extraArgs));
        return start(freePort(), args);
    }

    /** Stops this server cleanly and starts it again, same port, arguments and data. */
    ServerProcess restart() throws Exception {
        stopCleanly();
        return startAgain();
    }

    /** A new process for this stopped server: same port, arguments and data. */
    ServerProcess startAgain() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        return start(args, env, port);
    }

    /** SIGKILL: the server dies at once, as in a crash; its port is closed when this returns. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Starts a process without waiting; for tests of refusals at start-up. */
    static Process launch(List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(JAVA, "-Xmx256m", "-jar", SERVER_JAR.toString()));
        cmd.addAll(args);
        Path log = Files.createTempFile("warden-server-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WARDEN_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        LOGS.put(p.pid(), log);
        return p;
    }

    private static final Map<Long, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();

    static Path logOf(Process p) {
        return LOGS.get(p.pid());
    }

    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                var r = http.send(HttpRequest.newBuilder(url("/readyz")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        close();
        throw new IllegalStateException("server not ready within 60 s:\n" + log());
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String server() {
        return "http://127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * SIGTERM, and checks the stop was clean: the server exits by itself within 30 s, with 143
     * (the JVM's status after SIGTERM, shutdown hooks run) or 0, after Tomcat's graceful shutdown.
     */
    void stopCleanly() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("server did not stop within 30 s of SIGTERM:\n" + log());
        }
        int exit = process.exitValue();
        if ((exit != 0 && exit != 143) || !log().contains("Graceful shutdown complete")) {
            throw new AssertionError("unclean stop (exit " + exit + "):\n" + log());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
