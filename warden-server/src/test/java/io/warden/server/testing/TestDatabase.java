package io.warden.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A database for one test class: a fresh SQLite data directory, or a fresh schema in the
 * PostgreSQL named by {@code WARDEN_TEST_POSTGRES_URL}.
 */
public sealed interface TestDatabase {

    String POSTGRES_URL_ENV = "WARDEN_TEST_POSTGRES_URL";

    /** The data directory (always present: the server keeps files there on either database). */
    Path dataDir();

    /** Server arguments selecting this database. */
    List<String> serverArgs();

    /** A JDBC connection to the same database, for tests that look underneath the API. */
    Connection connect() throws SQLException;

    String vendor();

    static TestDatabase sqlite() {
        return new Sqlite(tempDir());
    }

    static TestDatabase postgres() {
        String base = System.getenv(POSTGRES_URL_ENV);
        if (base == null || base.isBlank()) {
            throw new IllegalStateException(POSTGRES_URL_ENV + " is not set");
        }
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL at " + POSTGRES_URL_ENV + ": " + e.getMessage(), e);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new Postgres(tempDir(), url);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("warden-test-").resolve("data");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Sqlite(Path dataDir) implements TestDatabase {
        public List<String> serverArgs() {
            return List.of("--warden.data-dir=" + dataDir);
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("warden.db"));
        }

        public String vendor() {
            return "sqlite";
        }
    }

    record Postgres(Path dataDir, String url) implements TestDatabase {
        public List<String> serverArgs() {
            List<String> args = new ArrayList<>();
            args.add("--warden.data-dir=" + dataDir);
            args.add("--warden.db.url=" + url);
            return args;
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url);
        }

        public String vendor() {
            return "postgresql";
        }
    }
}
