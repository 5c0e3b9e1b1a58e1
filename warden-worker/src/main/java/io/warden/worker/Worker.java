package io.warden.worker;

import io.warden.core.exec.CommandTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker: claims tasks (long-poll) while it has free slots, runs each through the
 * {@link Runner}, keeps their leases alive with heartbeats, stops a task the server cancels or
 * takes back, and reports the outcome. {@link #shutdown} stops claiming, gives running tasks
 * the grace period to finish, then kills the rest and hands their leases back.
 */
final class Worker {

    /** How the worker behaves; see {@code warden worker --help}. */
    record Settings(int concurrency, Duration gracePeriod, Path workDir, int claimWaitSeconds) {
    }

    static final int DEFAULT_MAX_OUTPUT = 1024 * 1024;
    private static final Duration MAX_BEAT = Duration.ofSeconds(10);
    private static final Duration MIN_BEAT = Duration.ofMillis(200);
    private static final long TICK_MILLIS = 100;

    private final WorkerApi api;
    private final Runner runner;
    private final JsonLog log;
    private final Clock clock;
    private final JsonMapper json;
    private final Settings settings;
    private final Semaphore slots;
    private final Map<String, Run> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1,
            Thread.ofPlatform().daemon().name("worker-timer").factory());
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread claimer;
    private volatile int exitCode;

    Worker(WorkerApi api, Runner runner, JsonLog log, Clock clock, JsonMapper json, Settings settings) {
        this.api = api;
        this.runner = runner;
        this.log = log;
        this.clock = clock;
        this.json = json;
        this.settings = settings;
        this.slots = new Semaphore(settings.concurrency());
    }

    /** One claimed attempt while this worker holds it. */
    private final class Run {
        final WorkerApi.Claimed task;
        volatile long leaseExpiresAt;
        volatile Runner.Execution execution;
        /** Why it is being stopped, if it is: cancel, lost or handback. */
        volatile String stop;

        /** When the next heartbeat is due for this attempt. */
        volatile long nextBeatAt;

        Run(WorkerApi.Claimed task, long now) {
            this.task = task;
            renewed(task.leaseExpiresAt(), now);
        }

        void renewed(long expiresAt, long now) {
            leaseExpiresAt = expiresAt;
            nextBeatAt = nextBeat(expiresAt, now);
        }

        synchronized void stop(String why) {
            if (stop == null) {
                stop = why;
            }
            if (execution != null) {
                execution.kill();
            }
        }

        synchronized void started(Runner.Execution e) {
            execution = e;
            if (stop != null) {
                e.kill();
            }
        }
    }

    /** Claims and runs until {@link #shutdown}; returns the process exit code. */
    int run() {
        claimer = Thread.currentThread();
        Thread beats = Thread.ofPlatform().daemon().name("worker-heartbeat").start(this::heartbeats);
        log.info("worker started", "concurrency", settings.concurrency());
        long backoff = 500;
        try {
            while (!stopping) {
                int free;
                try {
                    if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    free = 1 + slots.drainPermits();
                } catch (InterruptedException e) {
                    break;
                }
                List<WorkerApi.Claimed> got;
                try {
                    got = stopping ? List.of() : api.claim(free, settings.claimWaitSeconds());
                    backoff = 500;
                } catch (WorkerApi.CallFailed e) {
                    slots.release(free);
                    if (e.refused()) {
                        log.error("the server refused this worker's credential (revoked, or its Worker was deleted); stopping",
                                "status", e.status());
                        exitCode = 3;
                        break;
                    }
                    log.warn("claim failed; trying again", "error", e.getMessage(), "retryInMs", backoff);
                    if (!pause(backoff)) {
                        break;
                    }
                    backoff = Math.min(30_000, backoff * 2);
                    continue;
                } catch (IOException e) {
                    slots.release(free);
                    log.warn("claim failed; trying again", "error", e.getMessage(), "retryInMs", backoff);
                    if (!pause(backoff)) {
                        break;
                    }
                    continue;
                } catch (InterruptedException e) {
                    slots.release(free);
                    break;
                }
                slots.release(free - got.size());
                for (WorkerApi.Claimed task : got) {
                    Run run = new Run(task, clock.millis());
                    running.put(task.id(), run);
                    if (stopping) {
                        Thread.ofPlatform().name("task-" + task.id()).start(() -> handBackUnstarted(run));
                    } else {
                        Thread.ofPlatform().name("task-" + task.id()).start(() -> execute(run));
                    }
                }
            }
        } finally {
            Thread.interrupted();
            if (!stopping) {
                shutdown(settings.gracePeriod());
            }
            // Whoever called shutdown is waiting out the grace period; leases stay renewed until the end.
            long until = System.nanoTime() + settings.gracePeriod().plusSeconds(20).toNanos();
            while (!running.isEmpty() && System.nanoTime() < until) {
                sleepQuietly(50);
            }
            beats.interrupt();
            scheduler.shutdownNow();
            finished.countDown();
        }
        return exitCode;
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /**
     * Stops claiming, waits up to {@code grace} for running tasks, then kills what is left and
     * hands those leases back (released, not failed: the attempt does not count). Blocks until done.
     */
    void shutdown(Duration grace) {
        if (stopping) {
            awaitFinished();
            return;
        }
        stopping = true;
        log.info("shutting down: no new claims", "running", running.size(), "graceSeconds", grace.toSeconds());
        // The claim in flight is not cut short: the server would still hand it tasks after the
        // connection closed, and they would wait for their leases to expire. It returns within
        // the claim wait, and what it brings is handed back at once.
        Thread c = claimer;
        long until = System.nanoTime() + grace.toNanos();
        while (!running.isEmpty() && System.nanoTime() < until) {
            sleepQuietly(50);
        }
        if (!running.isEmpty()) {
            log.warn("grace period over: stopping and handing back the tasks still running", "running", running.size());
            running.values().forEach(r -> r.stop("handback"));
            long hard = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!running.isEmpty() && System.nanoTime() < hard) {
                sleepQuietly(50);
            }
        }
        if (c != null && c != Thread.currentThread()) {
            awaitFinished();
        }
        log.info("worker stopped");
    }

    private void awaitFinished() {
        try {
            finished.await(settings.gracePeriod().toSeconds() + settings.claimWaitSeconds() + 60L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- heartbeats ---------------------------------------------------------------------------

    private void heartbeats() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = clock.millis();
            if (running.values().stream().noneMatch(r -> now >= r.nextBeatAt)) {
                continue;
            }
            Map<String, Integer> held = new LinkedHashMap<>();
            running.values().forEach(r -> held.put(r.task.id(), r.task.attempt()));
            try {
                for (WorkerApi.Beat beat : api.heartbeat(held)) {
                    Run run = running.get(beat.id());
                    if (run == null || run.task.attempt() != beat.attempt()) {
                        continue;
                    }
                    switch (beat.status()) {
                        case "ok" -> run.renewed(beat.leaseExpiresAt(), clock.millis());
                        case "cancel" -> {
                            if (run.stop == null) {
                                log.info("task cancelled: stopping it", "task", run.task.id());
                            }
                            run.stop("cancel");
                        }
                        default -> {
                            log.warn("lease lost: stopping the task, reporting nothing", "task", run.task.id());
                            run.stop("lost");
                        }
                    }
                }
            } catch (IOException e) {
                log.warn("heartbeat failed", "error", e.getMessage());
                running.values().forEach(r -> r.nextBeatAt = clock.millis() + MIN_BEAT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** When to renew a lease: after a third of what is left of it, within 200 ms and 10 s. */
    static long nextBeat(long leaseExpiresAt, long now) {
        return now + Math.clamp((leaseExpiresAt - now) / 3, MIN_BEAT.toMillis(), MAX_BEAT.toMillis());
    }

    // --- one task -----------------------------------------------------------------------------

    private void execute(Run run) {
        WorkerApi.Claimed task = run.task;
        log.info("task claimed", "task", task.id(), "tool", task.tool(), "attempt", task.attempt());
        try {
            Runner.Job job;
            try {
                job = job(task);
            } catch (CommandTemplate.TemplateException e) {
                report(run, new WorkerApi.Report(null, "", "", false, false, null, CommandTemplate.ERROR_CLASS, e.getMessage()));
                return;
            } catch (IllegalArgumentException e) {
                report(run, new WorkerApi.Report(null, "", "", false, false, null, "unsupported-tool", e.getMessage()));
                return;
            }
            OutputStreamer stream = new OutputStreamer(api, log, scheduler, task.id(), task.attempt(), () -> run.stop("lost"));
            Runner.Result result;
            try {
                run.started(runner.start(job, stream));
                result = run.execution.await();
            } catch (Runner.StartFailed e) {
                stream.close();
                report(run, new WorkerApi.Report(null, "", "", false, false, null, "start-failed", e.getMessage()));
                return;
            }
            stream.close();
            report(run, outcome(run, result));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("task failed inside the worker", "task", task.id(), "error", e.getClass().getName());
            report(run, new WorkerApi.Report(null, "", "", false, false, null, "worker-error", "the worker failed running the task"));
        } finally {
            running.remove(task.id());
            slots.release();
        }
    }

    private void handBackUnstarted(Run run) {
        try {
            run.stop("handback");
            report(run, null);
        } finally {
            running.remove(run.task.id());
            slots.release();
        }
    }

    /** The job of an exec task: the filled argument vector, a minimal environment, the args on stdin. */
    private Runner.Job job(WorkerApi.Claimed task) throws CommandTemplate.TemplateException {
        JsonNode spec = task.toolSpec();
        if (!"exec".equals(spec.path("type").asString())) {
            throw new IllegalArgumentException("this worker runs exec tools only, not '" + spec.path("type").asString() + "'");
        }
        List<String> command = new ArrayList<>();
        spec.path("exec").path("command").forEach(e -> command.add(e.asString()));
        List<String> argv = CommandTemplate.render(command, task.args());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        spec.path("exec").path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString()));
        env.put("WARDEN_TASK_ID", task.id());
        env.put("WARDEN_TASK_ATTEMPT", Integer.toString(task.attempt()));
        env.put("WARDEN_NAMESPACE", task.namespace());
        env.put("WARDEN_TOOL", task.tool());
        int cap = spec.path("limits").path("maxOutputBytes").asInt(DEFAULT_MAX_OUTPUT);
        byte[] stdin = json.writeValueAsString(task.args().isMissingNode() ? json.createObjectNode() : task.args())
                .getBytes(StandardCharsets.UTF_8);
        return new Runner.Job(task.id(), task.attempt(), argv, env, stdin, Duration.ofSeconds(Math.max(1, task.timeoutSeconds())),
                cap, settings.workDir());
    }

    private WorkerApi.Report outcome(Run run, Runner.Result r) {
        String out = r.stdout().text();
        String err = r.stderr().text();
        boolean outCut = r.stdout().truncated();
        boolean errCut = r.stderr().truncated();
        if ("cancel".equals(run.stop)) {
            return new WorkerApi.Report(r.exitCode(), out, err, outCut, errCut, null, "cancelled", "cancelled while running; the process was killed");
        }
        if (r.timedOut()) {
            return new WorkerApi.Report(r.exitCode(), out, err, outCut, errCut, null, "timeout",
                    "ran past its timeout of " + run.task.timeoutSeconds() + " s; the process was killed");
        }
        if (r.exitCode() != 0) {
            return new WorkerApi.Report(r.exitCode(), out, err, outCut, errCut, null, "exit-code", "exited with code " + r.exitCode());
        }
        return new WorkerApi.Report(0, out, err, outCut, errCut, outCut ? null : structured(out), null, null);
    }

    /** The JSON the tool printed, when its whole stdout is one JSON object or array. */
    private JsonNode structured(String stdout) {
        String s = stdout.strip();
        if (!(s.startsWith("{") && s.endsWith("}")) && !(s.startsWith("[") && s.endsWith("]"))) {
            return null;
        }
        try {
            return json.readTree(s);
        } catch (tools.jackson.core.JacksonException e) {
            return null;
        }
    }

    /**
     * Tells the server how the attempt ended, trying again while the server is unreachable (up
     * to a minute): the outcome is not lost to a blip. A lost lease reports nothing; a 409 means
     * someone else holds the task now, and what this attempt did no longer counts.
     */
    private void report(Run run, WorkerApi.Report report) {
        WorkerApi.Claimed task = run.task;
        if ("lost".equals(run.stop)) {
            return;
        }
        long backoff = 250;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                String phase;
                if ("handback".equals(run.stop)) {
                    phase = api.release(task.id(), task.attempt());
                } else if (report.errorClass() == null) {
                    phase = api.complete(task.id(), task.attempt(), report);
                } else {
                    phase = api.fail(task.id(), task.attempt(), report);
                }
                log.info("task reported", "task", task.id(), "attempt", task.attempt(), "phase", phase,
                        "errorClass", report == null ? "released" : String.valueOf(report.errorClass()));
                return;
            } catch (WorkerApi.CallFailed e) {
                if (e.leaseLost()) {
                    log.warn("the server refused the report: this attempt's lease is gone", "task", task.id(),
                            "attempt", task.attempt());
                    return;
                }
                if (!e.retryable() || System.nanoTime() > until) {
                    log.error("could not report the task", "task", task.id(), "status", e.status(), "error", e.getMessage());
                    return;
                }
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleepQuietly(backoff);
            backoff = Math.min(5_000, backoff * 2);
        }
    }
}
