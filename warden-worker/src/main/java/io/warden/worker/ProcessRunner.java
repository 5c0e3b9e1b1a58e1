package io.warden.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a job as a plain child process: the argument vector as given (never a shell), in a fresh
 * empty directory of its own that is removed afterwards, with only the job's environment (the
 * worker's own environment, its credential included, is not inherited), the args JSON on stdin,
 * stdout and stderr drained and capped, and the whole process tree killed at the timeout.
 *
 * <p>Limits: a plain process runs as the worker's user and sees its filesystem and network; a
 * descendant that detaches from the tree (double fork) is not found by the kill. The sandbox
 * runner (bubblewrap, a later issue) closes both.
 */
final class ProcessRunner implements Runner {

    /** How long to wait for the output pipes after the program ended (a detached child may hold them). */
    private static final long DRAIN_MILLIS = 2_000;

    @Override
    public Execution start(Job job, OutputListener listener) throws StartFailed {
        Path dir;
        try {
            dir = Files.createDirectories(job.workDir()).resolve("task-" + job.taskId() + "-" + job.attempt());
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new StartFailed("cannot create the task's directory: " + e.getMessage(), e);
        }
        ProcessBuilder builder = new ProcessBuilder(job.argv()).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().putAll(job.env());
        builder.environment().put("HOME", dir.toString());
        builder.environment().put("TMPDIR", dir.toString());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            delete(dir);
            throw new StartFailed("cannot start " + job.argv().getFirst() + ": " + e.getMessage(), e);
        }
        return new Running(job, process, dir, listener);
    }

    private static final class Running implements Execution {
        private final Job job;
        private final Process process;
        private final Path dir;
        private final OutputCapture stdout;
        private final OutputCapture stderr;
        private final Thread[] threads;
        private volatile boolean killed;

        Running(Job job, Process process, Path dir, OutputListener listener) {
            this.job = job;
            this.process = process;
            this.dir = dir;
            this.stdout = new OutputCapture(process.getInputStream(), "stdout", job.maxOutputBytes(), listener);
            this.stderr = new OutputCapture(process.getErrorStream(), "stderr", job.maxOutputBytes(), listener);
            String name = "task-" + job.taskId();
            this.threads = new Thread[] {
                Thread.ofPlatform().daemon().name(name + "-stdout").start(stdout),
                Thread.ofPlatform().daemon().name(name + "-stderr").start(stderr),
                Thread.ofPlatform().daemon().name(name + "-stdin").start(this::feed),
            };
        }

        private void feed() {
            try (OutputStream in = process.getOutputStream()) {
                in.write(job.stdin());
            } catch (IOException e) {
                // The program exited or closed its stdin without reading everything: its choice.
            }
        }

        @Override
        public void kill() {
            killed = true;
            killTree(process.toHandle());
        }

        @Override
        public Result await() throws InterruptedException {
            boolean timedOut = false;
            try {
                if (!process.waitFor(job.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    timedOut = true;
                    killTree(process.toHandle());
                    process.waitFor();
                }
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
                for (Thread t : threads) {
                    t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
                }
                closeQuietly();
                for (Thread t : threads) {
                    t.join(500);
                }
                return new Result(process.exitValue(), timedOut, killed && !timedOut, stdout.captured(), stderr.captured());
            } finally {
                if (!process.isAlive()) {
                    delete(dir);
                }
            }
        }

        private void closeQuietly() {
            for (var stream : new java.io.Closeable[] {process.getInputStream(), process.getErrorStream()}) {
                try {
                    stream.close();
                } catch (IOException ignored) {
                    // nothing more to read
                }
            }
        }
    }

    /**
     * Kills a process and its descendants. The tree is listed while the root is alive, then the
     * root goes first, so it cannot react to its children dying (a shell would run its next
     * line); a descendant that forks while this runs is caught by the later rounds.
     */
    static void killTree(ProcessHandle root) {
        List<ProcessHandle> tree = root.descendants().toList();
        root.destroyForcibly();
        for (int round = 0; round < 5 && !tree.isEmpty(); round++) {
            List<ProcessHandle> next = tree.stream().flatMap(ProcessHandle::descendants).toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            tree = next;
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: the directory is under the worker's own work directory
        }
    }
}
