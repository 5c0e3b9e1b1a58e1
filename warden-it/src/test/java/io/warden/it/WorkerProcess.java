package io.warden.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real worker jar, started as a child process against a server. */
final class WorkerProcess implements AutoCloseable {

    static final Path WORKER_JAR = Path.of(System.getProperty("warden.worker.jar", "../warden-worker/target/warden-worker.jar"));

    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(String server, Path credentialFile, String... extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ServerProcess.JAVA, "-Xmx128m", "-jar", WORKER_JAR.toString(),
                "--server", server, "--credential-file", credentialFile.toString()));
        cmd.addAll(List.of(extraArgs));
        Path log = Files.createTempFile("warden-worker-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("WARDEN_"));
        return new WorkerProcess(pb.start(), log);
    }

    /** SIGKILL: the worker dies at once, mid-task, reporting nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: the worker's graceful shutdown. */
    void terminate() {
        process.destroy();
    }

    boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether a process has ended; a killed orphan left as a zombie (not yet reaped by init) has. */
    static boolean ended(long pid) {
        Path stat = Path.of("/proc/" + pid + "/stat");
        try {
            return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    || (Files.exists(stat) && Files.readString(stat).replaceFirst("^.*\\) ", "").startsWith("Z"));
        } catch (IOException e) {
            return true;
        }
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
