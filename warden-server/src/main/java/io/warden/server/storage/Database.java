package io.warden.server.storage;

import com.zaxxer.hikari.HikariConfig;
import io.warden.server.WardenProperties;
import java.util.Locale;

/**
 * The two databases Warden runs on. Repository SQL is written once for both; what differs
 * (connection setup today; locking hints as later features need them) lives here and only here.
 */
public enum Database {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql");

    private final String id;

    Database(String id) {
        this.id = id;
    }

    /** The name used in {@code db/migration/{vendor}} and reported by {@code /v1/version}. */
    public String id() {
        return id;
    }

    /**
     * Suffix that locks the selected rows until the transaction ends. SQLite has no row locks
     * and needs none: its IMMEDIATE transactions already hold the single write lock.
     */
    public String forUpdate() {
        return this == POSTGRESQL ? " FOR UPDATE" : "";
    }

    /** Like {@link #forUpdate()}, skipping rows another transaction holds (PostgreSQL replicas share work). */
    public String forUpdateSkipLocked() {
        return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /**
     * Takes the cluster-wide lock {@code id} until the current transaction ends, without
     * waiting: false if another replica holds it (background singletons elect a leader this
     * way). On SQLite there is one server, and its IMMEDIATE transaction already holds the
     * database's write lock.
     */
    public boolean tryTransactionLock(org.springframework.jdbc.core.simple.JdbcClient jdbc, long id) {
        if (this == SQLITE) {
            return true;
        }
        return Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(?)").param(id).query(Boolean.class).single());
    }

    static Database of(WardenProperties.Db db) {
        if (!db.isPostgres()) {
            return SQLITE;
        }
        if (db.url().toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        // The URL is not echoed: it may carry a password.
        throw new IllegalStateException(
                "WARDEN_DB_URL must be a jdbc:postgresql:// URL (leave it unset for the embedded SQLite database)");
    }

    /**
     * The SQLite pool settings the server uses on {@code file} (public so that benchmarks measure
     * their raw peers on a database opened exactly as the server opens its own).
     */
    public static void configureSqlite(HikariConfig pool, java.nio.file.Path file, int poolSize) {
        pool.setJdbcUrl("jdbc:sqlite:" + file);
        pool.setDriverClassName("org.sqlite.JDBC");
        // WAL lets readers run beside the single writer; IMMEDIATE takes the write lock
        // at BEGIN, so two writers queue instead of failing to upgrade a read lock.
        pool.addDataSourceProperty("journal_mode", "WAL");
        pool.addDataSourceProperty("synchronous", "NORMAL");
        pool.addDataSourceProperty("busy_timeout", "10000");
        pool.addDataSourceProperty("foreign_keys", "true");
        pool.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        pool.setMaximumPoolSize(Math.max(2, Math.min(poolSize, 8)));
    }

    /**
     * A SQLite pool that keeps each connection's compiled statements ({@link SqliteStatementCache});
     * closing it closes the pool.
     */
    public static javax.sql.DataSource withStatementCache(com.zaxxer.hikari.HikariDataSource sqlitePool) {
        return new SqliteStatementCache(sqlitePool, sqlitePool);
    }

    /** Applies the per-database connection settings to a pool configuration. */
    void configure(HikariConfig pool, WardenProperties props, DataDirectory dataDir) {
        switch (this) {
            case SQLITE -> configureSqlite(pool, dataDir.resolve("warden.db"), props.db().poolSize());
            case POSTGRESQL -> {
                pool.setJdbcUrl(props.db().url());
                pool.setDriverClassName("org.postgresql.Driver");
                if (props.db().username() != null && !props.db().username().isBlank()) {
                    pool.setUsername(props.db().username());
                }
                if (props.db().password() != null && !props.db().password().isEmpty()) {
                    pool.setPassword(props.db().password());
                }
                pool.setMaximumPoolSize(props.db().poolSize());
            }
        }
    }
}
