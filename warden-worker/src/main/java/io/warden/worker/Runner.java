package io.warden.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs the program of one claimed {@code exec} task. {@link ProcessRunner} runs it as a plain
 * child process; the sandbox issue puts a bubblewrap runner behind this same interface, so the
 * worker's claim, heartbeat and report logic does not change.
 */
interface Runner {

    /** What to run: the filled argument vector, its environment, the args JSON for stdin, the limits. */
    record Job(String taskId, int attempt, List<String> argv, Map<String, String> env, byte[] stdin, Duration timeout,
            int maxOutputBytes, Path workDir) {
    }

    /** Receives output as it is produced, up to each stream's cap: {@code stream} is stdout or stderr. */
    interface OutputListener {
        void output(String stream, String text);
    }

    /** One stream's output as kept: at most the cap, and whether more was produced and dropped. */
    record Captured(String text, boolean truncated) {
    }

    /** How the program ended: {@code timedOut} and {@code killed} say whether the runner stopped it. */
    record Result(int exitCode, boolean timedOut, boolean killed, Captured stdout, Captured stderr) {
    }

    /** A started program. */
    interface Execution {
        /** Kills the program and everything it started; harmless when it has ended. */
        void kill();

        /** Waits for the end (the runner enforces the job's timeout). */
        Result await() throws InterruptedException;
    }

    /** The program could not be started (not found, not executable...). */
    final class StartFailed extends IOException {
        StartFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Execution start(Job job, OutputListener listener) throws StartFailed;
}
