#!/usr/bin/env node
// Peer load script: measures graphile-worker 0.16.6 on PostgreSQL.
// Prints exactly one JSON line on stdout per run; diagnostics go to stderr.
//
//   node run.mjs --url postgres://warden_test:warden_test@127.0.0.1:5432/graphile_bench \
//     --mode empty|backlog --workers N --seconds T [--warmup W] [--backlog N] [--producers P]
//
// See README.md for what is measured and the fairness notes.

import { EventEmitter } from "node:events";
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import pg from "pg";

// The library's own perf test (perfTest/run.js) sets this: it skips building the
// per-job "Completed task ..." info string. Our logger drops info lines anyway.
// Must be set before graphile-worker runs a job (it is read per job).
process.env.NO_LOG_SUCCESS = "1";

const { run, runMigrations, makeWorkerUtils, Logger } = await import("graphile-worker");
const require = createRequire(import.meta.url);
const GW_VERSION = require("graphile-worker/package.json").version;

const SCHEMA = "graphile_worker";
const TASK = "noop";
const BULK_BATCH = 10_000;

function fail(msg) {
  process.stderr.write(`run.mjs: ${msg}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    url: process.env.DATABASE_URL || "postgres://warden_test:warden_test@127.0.0.1:5432/graphile_bench",
    mode: "empty",
    workers: 4,
    seconds: 20,
    warmup: 3,
    backlog: 500_000,
    producers: 1,
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(a);
    if (!m) fail(`unexpected argument ${JSON.stringify(a)}`);
    const key = m[1];
    const val = m[2] !== undefined ? m[2] : argv[++i];
    if (val === undefined) fail(`missing value for --${key}`);
    switch (key) {
      case "url": opts.url = val; break;
      case "mode": opts.mode = val; break;
      case "workers": case "backlog": case "producers":
        opts[key] = Number.parseInt(val, 10); break;
      case "seconds": case "warmup":
        opts[key] = Number.parseFloat(val); break;
      default: fail(`unknown option --${key}`);
    }
  }
  if (opts.mode !== "empty" && opts.mode !== "backlog") fail("--mode must be empty or backlog");
  if (!(opts.workers >= 1)) fail("--workers must be >= 1");
  if (!(opts.seconds > 0)) fail("--seconds must be > 0");
  if (!(opts.warmup >= 0)) fail("--warmup must be >= 0");
  if (!(opts.backlog >= 1)) fail("--backlog must be >= 1");
  if (!(opts.producers >= 1)) fail("--producers must be >= 1");
  return opts;
}

const opts = parseArgs(process.argv);

// Quiet logger: drop debug/info, keep warnings/errors on stderr.
const logger = new Logger((scope) => (level, message) => {
  if (level === "error" || level === "warning") {
    process.stderr.write(`[graphile-worker ${level}${scope.label ? " " + scope.label : ""}] ${message}\n`);
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  // nearest-rank
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

async function resetSchema(admin) {
  // graphile-worker keeps everything (tables, functions, types, its migrations
  // table) in the one schema; dropping it is a clean slate.
  await admin.query(`drop schema if exists ${SCHEMA} cascade`);
  await runMigrations({ connectionString: opts.url, logger, schema: SCHEMA });
}

async function enqueueBacklog(admin, n) {
  // Bulk enqueue through the library's own SQL API (add_jobs(job_spec[]), which
  // add_job also delegates to in 0.16.x), like perfTest/init.js does with
  // add_job over generate_series; batched so memory stays bounded.
  for (let from = 1; from <= n; from += BULK_BATCH) {
    const to = Math.min(n, from + BULK_BATCH - 1);
    await admin.query(
      `select count(*) from ${SCHEMA}.add_jobs(array(
         select row($3::text, json_build_object('id', i), null::text, null::timestamptz,
                    null::smallint, null::text, null::smallint, null::text[])::${SCHEMA}.job_spec
         from generate_series($1::int, $2::int) i))`,
      [from, to, TASK],
    );
  }
  // Fresh bulk-loaded table: give the planner statistics (autovacuum would do
  // this on its own shortly after); not timed.
  await admin.query(`analyze ${SCHEMA}._private_jobs`);
  const { rows } = await admin.query(`select count(*)::bigint as c from ${SCHEMA}._private_jobs`);
  if (Number(rows[0].c) !== n) throw new Error(`backlog load: expected ${n} jobs, found ${rows[0].c}`);
}

async function queueSize(admin) {
  const { rows } = await admin.query(`select count(*)::bigint as c from ${SCHEMA}._private_jobs`);
  return Number(rows[0].c);
}

async function main() {
  const admin = new pg.Client({ connectionString: opts.url });
  await admin.connect();
  let runner = null;
  let utils = null;
  try {
    await resetSchema(admin);
    if (opts.mode === "backlog") await enqueueBacklog(admin, opts.backlog);

    const events = new EventEmitter();
    events.setMaxListeners(0);

    const N = opts.workers;
    const empty = opts.mode === "empty";

    // Per-job timing (empty mode): id -> submit / start (performance.now()).
    const submitAt = new Map();
    const startAt = new Map();

    // Completion accounting. "Completed" = graphile-worker's `job:complete`
    // event: the task returned AND the job row has been deleted (completeJob).
    let windowStart = Infinity;
    let windowEnd = Infinity;
    let completedTotal = 0;
    let completedInWindow = 0;
    let exhaustedAt = null;
    let failures = 0;
    let inFlight = 0; // submitted (addJob called) but not yet job:complete
    const waiters = []; // producers blocked on a full window
    const wakeOne = () => { const w = waiters.shift(); if (w) w(); };
    events.on("job:complete", ({ error }) => {
      const t = performance.now();
      if (error) failures++;
      completedTotal++;
      if (t >= windowStart && t < windowEnd) completedInWindow++;
      if (empty) {
        inFlight--;
        wakeOne();
      } else if (completedTotal === opts.backlog && exhaustedAt === null) {
        exhaustedAt = t;
      }
    });

    const taskList = {
      [TASK]: async (payload) => {
        if (empty) startAt.set(payload.id, performance.now());
      },
    };

    runner = await run({
      connectionString: opts.url,
      schema: SCHEMA,
      concurrency: N,
      // Same sizing as the library's perf test (-j C -m C+1): one connection
      // per concurrent job plus the LISTEN connection.
      maxPoolSize: N + 1,
      logger,
      events,
      taskList,
      parsedCronItems: [],
      noHandleSignals: true,
    });
    runner.promise.catch((e) => {
      process.stderr.write(`run.mjs: worker failed: ${e?.stack || e}\n`);
      process.exit(1);
    });

    const t0 = performance.now();
    windowStart = t0 + opts.warmup * 1000;
    windowEnd = windowStart + opts.seconds * 1000;

    let producing = empty;
    let producerError = null;
    const producers = [];
    if (empty) {
      // Producer: separate WorkerUtils (own small pool), library addJob, one job
      // per call, at most 2*N jobs submitted-but-not-completed.
      utils = await makeWorkerUtils({
        connectionString: opts.url,
        schema: SCHEMA,
        maxPoolSize: opts.producers,
        logger,
      });
      const limit = 2 * N;
      let nextId = 0;
      const producer = async () => {
        while (producing) {
          if (inFlight >= limit) {
            await new Promise((r) => waiters.push(r));
            continue;
          }
          const id = nextId++;
          inFlight++;
          submitAt.set(id, performance.now());
          await utils.addJob(TASK, { id });
        }
      };
      for (let p = 0; p < opts.producers; p++) {
        producers.push(producer().catch((e) => { producerError = e; producing = false; }));
      }
    }

    // Wait for the end of warmup + window.
    await sleep(Math.max(0, windowEnd - performance.now()));
    const measuredEnd = performance.now();
    const inWindow = completedInWindow;
    const seconds = opts.seconds; // window length (completions timestamped inside it)

    const result = {
      system: "graphile-worker",
      version: GW_VERSION,
      mode: opts.mode,
      workers: N,
      seconds,
      warmup: opts.warmup,
      completed: inWindow,
      tasksPerSecond: round(inWindow / seconds, 1),
    };

    if (empty) {
      producing = false;
      while (waiters.length) wakeOne();
      await Promise.all(producers);
      if (producerError) throw producerError;
      // Let already-submitted jobs start so latency covers every job submitted
      // in the window (bounded wait).
      const drainDeadline = performance.now() + 10_000;
      while (inFlight > 0 && performance.now() < drainDeadline) await sleep(5);
      const lat = [];
      let missing = 0;
      for (const [id, s] of submitAt) {
        if (s < windowStart || s >= windowEnd) continue;
        const st = startAt.get(id);
        if (st === undefined) { missing++; continue; }
        lat.push(st - s);
      }
      lat.sort((a, b) => a - b);
      result.p50ms = round(percentile(lat, 50), 2);
      result.p99ms = round(percentile(lat, 99), 2);
      result.latencySamples = lat.length;
      if (missing) result.latencyMissing = missing;
      result.window = 2 * N;
      result.producers = opts.producers;
    } else {
      const remaining = await queueSize(admin);
      result.p50ms = null;
      result.p99ms = null;
      result.backlog = opts.backlog;
      result.remaining = remaining;
      result.exhausted = remaining === 0 || (exhaustedAt !== null && exhaustedAt <= measuredEnd);
    }
    if (failures) result.failedJobs = failures;

    await runner.stop();
    runner = null;
    if (utils) { await utils.release(); utils = null; }

    process.stdout.write(JSON.stringify(result) + "\n");
  } finally {
    if (runner) await runner.stop().catch(() => {});
    if (utils) await utils.release().catch(() => {});
    await admin.end().catch(() => {});
  }
}

process.on("SIGINT", () => { process.stderr.write("run.mjs: interrupted\n"); process.exit(130); });

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`run.mjs: ${e?.stack || e}\n`);
    process.exit(1);
  },
);
