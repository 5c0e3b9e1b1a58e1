package io.warden.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Task queue throughput (issue 5): tasks per second through submit, claim and complete with a
 * no-op tool, for a worker with 1, 4 and 16 slots, on SQLite and PostgreSQL, Warden next to the
 * SQL-only ceiling in the same run. Not a JMH benchmark: it drives a pipeline of producer and
 * worker threads over a time window and reports throughput and submit-to-start percentiles.
 *
 * <p>The worker is driven as {@code warden worker --concurrency N} drives the queue: one claimer
 * asks for as many tasks as slots are free (one claim can hand out several), and each slot's
 * thread reports its task as done at once (a no-op tool). The ceiling is driven the same way.
 *
 * <ul>
 *   <li>{@code empty}: as many submitter threads as slots keep at most 2 x slots tasks in
 *       flight (submitted, not yet completed), so the queue stays near empty; the figure is the
 *       whole pipeline's rate, and the latency is from just before a submission is sent to just
 *       after the claim that hands it out returns.</li>
 *   <li>{@code backlog}: a backlog of queued tasks (default 500,000) is loaded straight into the
 *       table first (not measured); the worker then claims and completes with no submitters, and
 *       the figure is the drain rate with a deep queue.</li>
 * </ul>
 * Each (database, mode, workers, system) trial starts on a fresh database. Before the first trial
 * of each system on each database, an unmeasured one ({@code --jit-warmup} seconds, 4 slots and 4
 * submitters: every request the trials make) lets the JIT compilers settle, so every figure is a
 * steady-state one. One JSON line per trial goes to stdout, then a table with the ratio Warden /
 * ceiling.
 *
 * <pre>
 * java -cp warden-bench/target/warden-bench.jar io.warden.bench.TaskQueueLoad \
 *     --db sqlite,postgresql --mode empty,backlog --workers 1,4,16 --seconds 20 --warmup 5 --backlog 500000
 * </pre>
 * PostgreSQL needs {@value TrialDatabase#POSTGRES_URL_ENV}.
 */
public final class TaskQueueLoad {

    record Options(List<String> dbs, List<String> modes, List<Integer> workers, List<String> systems, int seconds,
            int warmup, int backlog, int jitWarmup) {

        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>(Map.of("--db", "sqlite,postgresql", "--mode", "empty,backlog",
                    "--workers", "1,4,16", "--system", "warden,sql", "--seconds", "20", "--warmup", "5", "--backlog", "500000",
                    "--jit-warmup", "60"));
            for (int i = 0; i < args.length; i += 2) {
                if (!given.containsKey(args[i]) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("usage: TaskQueueLoad [--db sqlite,postgresql] [--mode empty,backlog]"
                            + " [--workers 1,4,16] [--system warden,sql] [--seconds 20] [--warmup 5] [--backlog 500000]"
                            + " [--jit-warmup 60]");
                }
                given.put(args[i], args[i + 1]);
            }
            return new Options(split(given.get("--db")), split(given.get("--mode")),
                    split(given.get("--workers")).stream().map(Integer::parseInt).toList(), split(given.get("--system")),
                    Integer.parseInt(given.get("--seconds")), Integer.parseInt(given.get("--warmup")),
                    Integer.parseInt(given.get("--backlog")), Integer.parseInt(given.get("--jit-warmup")));
        }

        private static List<String> split(String s) {
            return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        }
    }

    record Result(String db, String mode, int workers, String system, double seconds, long completed, double perSecond,
            Double p50ms, Double p99ms, Long remaining) {

        String json() {
            return String.format(Locale.ROOT, "{\"system\":\"%s\",\"db\":\"%s\",\"mode\":\"%s\",\"workers\":%d,\"seconds\":%.1f,"
                    + "\"completed\":%d,\"tasksPerSecond\":%.1f,\"p50ms\":%s,\"p99ms\":%s,\"remaining\":%s}", system, db, mode,
                    workers, seconds, completed, perSecond, number(p50ms), number(p99ms), remaining);
        }

        private static String number(Double d) {
            return d == null ? "null" : String.format(Locale.ROOT, "%.2f", d);
        }
    }

    private TaskQueueLoad() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        List<Result> results = new ArrayList<>();
        Set<String> warmed = new HashSet<>();
        for (String db : o.dbs()) {
            for (String mode : o.modes()) {
                for (int workers : o.workers()) {
                    for (String system : o.systems()) {
                        if (o.jitWarmup() > 0 && warmed.add(system + "/" + db)) {
                            // Steady state, as a server that has run for a while is: the first trial of
                            // each system on each database is preceded by an unmeasured one that gives
                            // the JIT compilers time (on two cores they need a minute for Warden's code).
                            System.err.printf(Locale.ROOT, "# %s/%s: %d s of JIT warm-up, not measured%n", system, db, o.jitWarmup());
                            trial(new Options(o.dbs(), o.modes(), o.workers(), o.systems(), 1, o.jitWarmup(), 0, 0),
                                    db, "empty", 4, system);
                        }
                        Result r = trial(o, db, mode, workers, system);
                        System.out.println(r.json());
                        results.add(r);
                    }
                }
            }
        }
        System.out.println();
        System.out.println(table(results));
        System.exit(0); // the server's non-daemon threads are gone, but HTTP client threads may linger
    }

    private static QueueUnderTest open(String system, TrialDatabase database) throws Exception {
        return switch (system) {
            case "warden" -> new WardenTaskQueue(database);
            case "sql" -> new SqlTaskQueue(database);
            default -> throw new IllegalArgumentException("--system takes warden and sql, not " + system);
        };
    }

    static Result trial(Options o, String db, String mode, int workers, String system) throws Exception {
        boolean backlog = switch (mode) {
            case "empty" -> false;
            case "backlog" -> true;
            default -> throw new IllegalArgumentException("--mode takes empty and backlog, not " + mode);
        };
        try (TrialDatabase database = new TrialDatabase(db); QueueUnderTest queue = open(system, database)) {
            if (backlog) {
                long t0 = System.nanoTime();
                queue.preload(o.backlog());
                System.err.printf(Locale.ROOT, "# %s/%s: loaded %,d queued tasks in %.1f s%n", system, db, o.backlog(),
                        (System.nanoTime() - t0) / 1e9);
            }
            AtomicLong completed = new AtomicLong();
            Map<String, Long> submittedAt = new ConcurrentHashMap<>();
            Map<String, Long> startedAt = new ConcurrentHashMap<>();
            Semaphore window = new Semaphore(2 * workers);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            // One worker process with `workers` slots, as `warden worker --concurrency N` runs: one
            // claimer asks for as many tasks as slots are free, and each slot's thread reports its task.
            Semaphore free = new Semaphore(workers);
            BlockingQueue<QueueUnderTest.Claim> handed = new LinkedBlockingQueue<>();
            threads.add(Thread.ofPlatform().name("claimer").start(guard(failure, stop, () -> {
                while (!stop.get()) {
                    if (!free.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                    int slots = 1 + free.drainPermits();
                    List<QueueUnderTest.Claim> got = queue.claim(slots);
                    long now = System.nanoTime();
                    for (QueueUnderTest.Claim c : got) {
                        startedAt.put(c.id(), now);
                        handed.add(c);
                    }
                    free.release(slots - got.size());
                }
            })));
            for (int w = 0; w < workers; w++) {
                threads.add(Thread.ofPlatform().name("slot-" + w).start(guard(failure, stop, () -> {
                    while (!stop.get()) {
                        QueueUnderTest.Claim c = handed.poll(100, TimeUnit.MILLISECONDS);
                        if (c == null) {
                            continue;
                        }
                        queue.complete(c);
                        completed.incrementAndGet();
                        free.release();
                        if (!backlog) {
                            window.release();
                        }
                    }
                })));
            }
            if (!backlog) {
                for (int s = 0; s < workers; s++) {
                    threads.add(Thread.ofPlatform().name("submitter-" + s).start(guard(failure, stop, () -> {
                        while (!stop.get()) {
                            if (window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                                long t = System.nanoTime();
                                submittedAt.put(queue.submit(), t);
                            }
                        }
                    })));
                }
            }
            // The warm-up and the measured window are spans of wall-clock time by definition.
            Thread.sleep(o.warmup() * 1000L);
            long c0 = completed.get();
            long from = System.nanoTime();
            Thread.sleep(o.seconds() * 1000L);
            long c1 = completed.get();
            long to = System.nanoTime();
            stop.set(true);
            window.release(workers * 4);
            for (Thread t : threads) {
                t.join(30_000);
            }
            if (failure.get() != null) {
                throw new IllegalStateException(system + "/" + db + "/" + mode + "/" + workers + " failed", failure.get());
            }
            double seconds = (to - from) / 1e9;
            Double p50 = null;
            Double p99 = null;
            if (!backlog) {
                long[] latencies = submittedAt.entrySet().stream()
                        .filter(e -> e.getValue() >= from && e.getValue() <= to && startedAt.containsKey(e.getKey()))
                        .mapToLong(e -> startedAt.get(e.getKey()) - e.getValue()).sorted().toArray();
                p50 = percentile(latencies, 0.50);
                p99 = percentile(latencies, 0.99);
            }
            Long remaining = backlog ? queue.queued() : null;
            if (backlog && remaining == 0) {
                System.err.println("# warning: the backlog ran out inside the window; the figure understates the rate");
            }
            return new Result(db, mode, workers, queue.name(), seconds, c1 - c0, (c1 - c0) / seconds, p50, p99, remaining);
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Runnable guard(AtomicReference<Throwable> failure, AtomicBoolean stop, Body body) {
        return () -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                stop.set(true);
            }
        };
    }

    private static Double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return null;
        }
        int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, i)] / 1e6;
    }

    /** A Markdown table: each Warden row next to the ceiling's row of the same trial. */
    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder(
                "| db | mode | workers | system | tasks/s | p50 ms | p99 ms | Warden / ceiling |\n|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            String ratio = results.stream()
                    .filter(c -> c.system().equals("sql-ceiling") && c.db().equals(r.db()) && c.mode().equals(r.mode())
                            && c.workers() == r.workers())
                    .findFirst().filter(c -> r.system().equals("warden") && c.perSecond() > 0)
                    .map(c -> String.format(Locale.ROOT, "%.2f", r.perSecond() / c.perSecond())).orElse("");
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %,.0f | %s | %s | %s |%n", r.db(), r.mode(), r.workers(),
                    r.system(), r.perSecond(), r.p50ms() == null ? "" : String.format(Locale.ROOT, "%.1f", r.p50ms()),
                    r.p99ms() == null ? "" : String.format(Locale.ROOT, "%.1f", r.p99ms()), ratio));
        }
        return out.toString();
    }
}
