package io.warden.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.server.WardenServer;
import io.warden.server.audit.AuditLog;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Audit ledger writes (issue 4): chained appends per second with 1, 8 and 64 concurrent
 * producers, next to the peer of raw single-row INSERTs on the same database in the same run.
 *
 * <ul>
 *   <li>{@code chainedAppend_pNN}: the real server application context runs in the benchmark's
 *       JVM (no web server) and NN threads call the public {@link AuditLog#append} on one chain,
 *       {@code bench} (every event contends for the same chain head: the worst case). Each call
 *       returns once the event is sealed in its chain and committed; the ledger's single
 *       appender commits everything queued in one transaction (group commit).
 *       {@code chainedAppendChainPerProducer_p64} gives each producer its own chain.</li>
 *   <li>{@code rawInsert_pNN} (peer): NN threads each run autocommit single-row INSERTs of a row
 *       of the same shape (same columns, primary key and index as {@code audit_events}) into a
 *       scratch table {@code bench_raw_events}: the physical ceiling without batching. On SQLite
 *       the producers share a pool configured as the server's (WAL, {@code synchronous=NORMAL},
 *       {@code busy_timeout=10000}, IMMEDIATE transactions, 8 connections): writers serialize on
 *       SQLite anyway. On PostgreSQL each producer holds its own connection.</li>
 * </ul>
 * Every trial starts from an empty database: a fresh data directory (SQLite) or a fresh schema
 * in the database named by {@code WARDEN_BENCH_POSTGRES_URL} (PostgreSQL), removed afterwards.
 *
 * <p>Usage (about eight minutes with PostgreSQL, half without):
 * <pre>
 * ./mvnw -q -B -pl warden-bench -am package -DskipTests
 * export WARDEN_BENCH_POSTGRES_URL='jdbc:postgresql://127.0.0.1:5432/warden_bench?user=warden_test&amp;password=warden_test'
 * java -jar warden-bench/target/warden-bench.jar AuditAppendBench
 * </pre>
 * Without {@code WARDEN_BENCH_POSTGRES_URL} the launcher ({@link BenchMain}) runs SQLite only
 * and says so; {@code -p db=sqlite} or {@code -p db=postgresql} picks one explicitly. Run it on
 * an otherwise idle machine: the producers, the appender and the database share its cores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
// sqlite-jdbc loads its native library: allowed, so JDK 24+ does not warn about it in the output.
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AuditAppendBench {

    /** The environment variable naming the PostgreSQL database the bench may create schemas in. */
    public static final String POSTGRES_URL_ENV = TrialDatabase.POSTGRES_URL_ENV;

    /** The chain every producer appends to. */
    static final String CHAIN = "bench";

    private static final String DETAILS = "{\"n\":1}";

    @Param({"sqlite", "postgresql"})
    public String db;

    /** The Warden server's application context on this trial's database, without its web server. */
    @State(Scope.Benchmark)
    public static class Server {
        TrialDatabase database;
        ConfigurableApplicationContext context;
        AuditLog audit;
        final AuditLog.Event event = event(CHAIN);

        @Setup(Level.Trial)
        public void start(AuditAppendBench bench) throws IOException, SQLException {
            database = new TrialDatabase(bench.db);
            List<String> args = new ArrayList<>(List.of(database.serverArgs()));
            args.add("--logging.structured.format.console=");
            args.add("--logging.level.root=warn");
            context = new SpringApplicationBuilder(WardenServer.class)
                    .web(WebApplicationType.NONE)
                    .run(args.toArray(String[]::new));
            audit = context.getBean(AuditLog.class);
        }

        @TearDown(Level.Trial)
        public void stop() throws IOException, SQLException {
            try {
                if (context != null) {
                    verifyChain();
                    context.close();
                }
            } finally {
                database.drop();
            }
        }

        /** Not timed: checks that what was measured is one intact chain, and says how long it grew. */
        private void verifyChain() {
            List<AuditRecord> records = new ArrayList<>();
            for (List<AuditRecord> page; !(page = audit.records(CHAIN, records.size(), 10_000)).isEmpty(); ) {
                records.addAll(page);
            }
            if (records.isEmpty()) {
                return; // the chain-per-producer benchmark
            }
            ChainVerifier.Result result = ChainVerifier.forChain(CHAIN, audit.chainKey()).verify(records);
            if (!(result instanceof ChainVerifier.Ok)) {
                throw new IllegalStateException("the benchmark's chain does not verify: " + result);
            }
            System.out.printf("%n# chain '%s': %d records, verified%n", CHAIN, records.size());
        }
    }

    /** One producer's event when every producer has a chain of its own. */
    @State(Scope.Thread)
    public static class OwnChain {
        AuditLog.Event event;

        @Setup(Level.Trial)
        public void name(ThreadParams thread) {
            event = event(CHAIN + "-" + thread.getThreadIndex());
        }
    }

    static AuditLog.Event event(String chain) {
        return new AuditLog.Event(chain, "user", "bench", "token:x", "bench.append", "Tool", CHAIN, "t", "success",
                "req-1", "127.0.0.1", DETAILS);
    }

    /**
     * The peer's scratch table, shaped like {@code audit_events}, in a fresh database of the same
     * kind: a {@code warden.db} SQLite file opened as the server opens its own, or a schema of the
     * same PostgreSQL database.
     */
    @State(Scope.Benchmark)
    public static class RawTable {
        static final String TABLE = "bench_raw_events";
        static final String INSERT = "INSERT INTO " + TABLE + " (chain, seq, at, actor_kind, actor_id, actor_via,"
                + " action, target_kind, target_namespace, target_name, outcome, request_id, client_address,"
                + " details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        static final String HASH = "5f".repeat(32);

        TrialDatabase database;
        /** SQLite: the producers' shared pool, configured as the server configures its own. */
        HikariDataSource sqlitePool;
        final AtomicLong seq = new AtomicLong();

        @Setup(Level.Trial)
        public void create(AuditAppendBench bench) throws IOException, SQLException {
            database = new TrialDatabase(bench.db);
            if (!database.postgres()) {
                sqlitePool = database.sqlitePool("bench-raw-sqlite");
            }
            try (Connection c = connect(); Statement s = c.createStatement()) {
                // The columns, key and index of audit_events (V3__audit.sql).
                s.execute("CREATE TABLE " + TABLE + " ("
                        + " chain VARCHAR(80) NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL,"
                        + " actor_kind VARCHAR(32), actor_id VARCHAR(128), actor_via VARCHAR(32),"
                        + " action VARCHAR(128) NOT NULL, target_kind VARCHAR(64), target_namespace VARCHAR(63),"
                        + " target_name VARCHAR(253), outcome VARCHAR(32) NOT NULL, request_id VARCHAR(64),"
                        + " client_address VARCHAR(64), details TEXT, prev_hash CHAR(64) NOT NULL,"
                        + " hash CHAR(64) NOT NULL, PRIMARY KEY (chain, seq))");
                s.execute("CREATE INDEX " + TABLE + "_by_time ON " + TABLE + " (at)");
            }
        }

        @TearDown(Level.Trial)
        public void drop() throws IOException, SQLException {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE " + TABLE);
            } finally {
                if (sqlitePool != null) {
                    sqlitePool.close();
                }
                database.drop();
            }
        }

        Connection connect() throws SQLException {
            return sqlitePool != null ? sqlitePool.getConnection() : DriverManager.getConnection(database.postgresUrl());
        }

        static void insert(PreparedStatement ps, long seq) throws SQLException {
            ps.setString(1, CHAIN);
            ps.setLong(2, seq);
            ps.setLong(3, System.currentTimeMillis());
            ps.setString(4, "user");
            ps.setString(5, "bench");
            ps.setString(6, "token:x");
            ps.setString(7, "bench.append");
            ps.setString(8, "Tool");
            ps.setString(9, CHAIN);
            ps.setString(10, "t");
            ps.setString(11, "success");
            ps.setString(12, "req-1");
            ps.setString(13, "127.0.0.1");
            ps.setString(14, DETAILS);
            ps.setString(15, HASH);
            ps.setString(16, HASH);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("insert did not insert");
            }
        }
    }

    /** One raw producer: on PostgreSQL its own autocommit connection; on SQLite it borrows from the pool per row. */
    @State(Scope.Thread)
    public static class RawProducer {
        RawTable table;
        Connection own;
        PreparedStatement ownInsert;

        @Setup(Level.Trial)
        public void open(RawTable table) throws SQLException {
            this.table = table;
            if (table.sqlitePool == null) {
                own = table.connect();
                own.setAutoCommit(true);
                ownInsert = own.prepareStatement(RawTable.INSERT);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            if (own != null) {
                own.close();
            }
        }

        void insertOne() throws SQLException {
            long seq = table.seq.incrementAndGet();
            if (ownInsert != null) {
                RawTable.insert(ownInsert, seq);
                return;
            }
            try (Connection c = table.sqlitePool.getConnection(); PreparedStatement ps = c.prepareStatement(RawTable.INSERT)) {
                RawTable.insert(ps, seq);
            }
        }
    }

    // Chained appends through the ledger: one chain.

    @Benchmark
    @Threads(1)
    public AuditRecord chainedAppend_p01(Server server) {
        return server.audit.append(server.event);
    }

    @Benchmark
    @Threads(8)
    public AuditRecord chainedAppend_p08(Server server) {
        return server.audit.append(server.event);
    }

    @Benchmark
    @Threads(64)
    public AuditRecord chainedAppend_p64(Server server) {
        return server.audit.append(server.event);
    }

    /** Like {@link #chainedAppend_p64}, with a chain per producer (64 chain heads per batch). */
    @Benchmark
    @Threads(64)
    public AuditRecord chainedAppendChainPerProducer_p64(Server server, OwnChain producer) {
        return server.audit.append(producer.event);
    }

    // Peer: raw autocommit single-row INSERTs.

    @Benchmark
    @Threads(1)
    public void rawInsert_p01(RawProducer producer) throws SQLException {
        producer.insertOne();
    }

    @Benchmark
    @Threads(8)
    public void rawInsert_p08(RawProducer producer) throws SQLException {
        producer.insertOne();
    }

    @Benchmark
    @Threads(64)
    public void rawInsert_p64(RawProducer producer) throws SQLException {
        producer.insertOne();
    }
}
