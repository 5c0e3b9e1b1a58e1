package io.warden.worker;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

/** Entry point of {@code warden worker}: see docs/reference/worker.md. */
@Command(name = "warden worker", mixinStandardHelpOptions = true, versionProvider = WorkerMain.Version.class,
        sortOptions = false,
        description = {"Claims tasks from a Warden server and runs them. Connects outbound only",
                "(HTTPS long-poll); opens no port and needs no database."},
        footer = {"", "SIGTERM or Ctrl-C: stop claiming, let running tasks finish within the grace",
                "period, then kill the rest and hand their leases back.",
                "Exit codes: 0 stopped, 1 error, 2 usage error, 3 credential refused."})
public final class WorkerMain implements Callable<Integer> {

    /**
     * How long a claim waits on the server for work. Short enough that a stopping worker's last
     * claim comes back soon (its tasks are then handed back), long enough that an idle worker
     * costs one request every few seconds.
     */
    static final int CLAIM_WAIT_SECONDS = 10;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "The Warden server, https://host[:port] (http:// only to loopback).")
    String server;

    @Option(names = "--credential-file", required = true, paramLabel = "FILE",
            description = "File holding the Worker's credential (warden workers register).")
    Path credentialFile;

    @Option(names = "--ca-file", paramLabel = "FILE",
            description = "Trust only the CA certificates in this PEM file, not the system roots.")
    Path caFile;

    @Option(names = "--insecure-transport",
            description = "Allow plain http:// to a non-loopback server (credential in clear!).")
    boolean insecureTransport;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4",
            description = "Tasks run at once, 1-256 (default ${DEFAULT-VALUE}; the Worker's spec.concurrency caps it).")
    int concurrency;

    @Option(names = "--grace-period", paramLabel = "SECONDS", defaultValue = "30",
            description = "On shutdown, how long running tasks may finish (default ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where each task gets its own empty directory (default: the system temp dir).")
    Path workDir;

    private final PrintStream out;
    private final PrintStream err;

    WorkerMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new WorkerMain(out, err))
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        JsonMapper json = JsonMapper.builder().build();
        JsonLog log = new JsonLog(err, Clock.systemUTC(), json);
        if (concurrency < 1 || concurrency > 256 || graceSeconds < 0 || graceSeconds > 86_400) {
            err.println("warden worker: --concurrency is 1-256 and --grace-period 0-86400 seconds");
            return 2;
        }
        ServerEndpoint endpoint;
        String credential;
        try {
            endpoint = ServerEndpoint.open(server, insecureTransport, caFile);
            credential = readCredential(log);
        } catch (ServerEndpoint.EndpointException | IOException e) {
            err.println("warden worker: " + e.getMessage());
            return 2;
        }
        if (endpoint.plainText() && !ServerEndpoint.isLoopback(endpoint.base().getHost())) {
            log.warn("INSECURE: plain http:// to a non-loopback server (--insecure-transport): the credential and"
                    + " task data cross the network unencrypted", "server", endpoint.base().toString());
        }
        Path dir = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "warden-worker-" + ProcessHandle.current().pid());
        Worker worker = new Worker(new WorkerApi(endpoint, credential, json), new ProcessRunner(), log, Clock.systemUTC(), json,
                new Worker.Settings(concurrency, Duration.ofSeconds(graceSeconds), dir, CLAIM_WAIT_SECONDS));
        Thread hook = new Thread(() -> worker.shutdown(Duration.ofSeconds(graceSeconds)), "worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        log.info("connecting", "server", endpoint.base().toString());
        int code = worker.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns once the worker is done
        }
        return code;
    }

    private String readCredential(JsonLog log) throws IOException {
        if (!Files.isRegularFile(credentialFile)) {
            throw new IOException("--credential-file " + credentialFile + " is not a file");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(credentialFile);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                log.warn("the credential file is readable by other users; chmod 600 it", "file", credentialFile.toString());
            }
        } catch (UnsupportedOperationException notPosix) {
            // not a POSIX file system: nothing to check
        }
        String token = Files.readString(credentialFile, StandardCharsets.UTF_8).strip();
        if (!token.matches("wdw_[A-Za-z0-9_-]{16,256}")) {
            throw new IOException("--credential-file " + credentialFile + " does not hold a worker credential (wdw_...)");
        }
        return token;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = WorkerMain.class.getPackage().getImplementationVersion();
            return new String[] {"warden worker " + (v == null ? "dev" : v)};
        }
    }
}
