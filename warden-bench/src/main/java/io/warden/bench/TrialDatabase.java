package io.warden.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.warden.server.storage.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A fresh, empty database for one trial: a data directory (the server keeps its keys there on
 * either database) and, on PostgreSQL, a schema of its own in the database named by
 * {@value #POSTGRES_URL_ENV}. Each trial makes and removes its own: JMH tears states down in
 * the order it set them up, so a shared one would be dropped before the states that use it close.
 */
final class TrialDatabase implements AutoCloseable {

    /** The environment variable naming the PostgreSQL database the benchmarks may create schemas in. */
    static final String POSTGRES_URL_ENV = "WARDEN_BENCH_POSTGRES_URL";

    final Path dataDir;
    /** PostgreSQL only: the bench database's URL and the schema made for this trial. */
    private final String postgresBase;
    private final String schema;

    TrialDatabase(String db) throws IOException, SQLException {
        dataDir = Files.createTempDirectory("warden-bench-").resolve("data");
        switch (db) {
            case "sqlite" -> {
                Files.createDirectories(dataDir);
                postgresBase = null;
                schema = null;
            }
            case "postgresql" -> {
                postgresBase = System.getenv(POSTGRES_URL_ENV);
                if (postgresBase == null || postgresBase.isBlank()) {
                    throw new IllegalStateException(POSTGRES_URL_ENV + " is not set, so there is no PostgreSQL to"
                            + " measure: set it to jdbc:postgresql://HOST:5432/DB?user=U&password=P, or run with db=sqlite");
                }
                schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
                try (Connection c = DriverManager.getConnection(postgresBase); Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA " + schema);
                }
            }
            default -> throw new IllegalArgumentException("db must be sqlite or postgresql, not " + db);
        }
    }

    boolean postgres() {
        return schema != null;
    }

    /** A JDBC URL of this trial's PostgreSQL schema. */
    String postgresUrl() {
        return postgresBase + (postgresBase.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** The server's arguments that put it on this database. */
    String[] serverArgs() {
        return postgres()
                ? new String[] {"--warden.data-dir=" + dataDir, "--warden.db.url=" + postgresUrl()}
                : new String[] {"--warden.data-dir=" + dataDir};
    }

    /** A pool on this trial's {@code warden.db} SQLite file, opened as the server opens its own (8 connections). */
    HikariDataSource sqlitePool(String name) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName(name);
        Database.configureSqlite(pool, dataDir.resolve("warden.db"), 8);
        return new HikariDataSource(pool);
    }

    /** A pool on this trial's PostgreSQL schema, as large as the server's default pool. */
    HikariDataSource postgresPool(String name, int size) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName(name);
        pool.setJdbcUrl(postgresUrl());
        pool.setDriverClassName("org.postgresql.Driver");
        pool.setMaximumPoolSize(size);
        return new HikariDataSource(pool);
    }

    @Override
    public void close() throws IOException, SQLException {
        drop();
    }

    void drop() throws IOException, SQLException {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(postgresBase); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
