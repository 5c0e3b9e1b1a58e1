package io.warden.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statement cache on a real SQLite file: statements are compiled once per connection, and a
 * reused statement never carries anything from its last use: not a read of the database as it
 * was (which would hide other connections' commits), not a parameter, not a setting.
 */
class SqliteStatementCacheTest {

    private HikariDataSource hikari;
    private DataSource pool;

    @BeforeEach
    void open() throws Exception {
        Path dir = Files.createTempDirectory("warden-stmt-cache-");
        HikariConfig config = new HikariConfig();
        Database.configureSqlite(config, dir.resolve("t.db"), 2);
        hikari = new HikariDataSource(config);
        pool = Database.withStatementCache(hikari);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
            s.execute("INSERT INTO kv VALUES ('a', 1), ('b', 2), ('c', 3)");
        }
    }

    @AfterEach
    void close() throws Exception {
        ((java.io.Closeable) pool).close();
    }

    private static PreparedStatement physical(PreparedStatement p) throws SQLException {
        return p.unwrap(PreparedStatement.class);
    }

    private static long value(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Test
    void aStatementIsCompiledOncePerConnection() throws Exception {
        try (Connection c = pool.getConnection()) {
            PreparedStatement first;
            try (PreparedStatement p = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
                first = physical(p);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
                assertThat(physical(p)).isSameAs(first);
                assertThat(p.isClosed()).isFalse();
            }
            assertThat(value(c, "b")).isEqualTo(2);
        }
        try (Connection again = pool.getConnection(); PreparedStatement p = again.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
            assertThat(p.getConnection()).as("the connection as borrowed now, not as first borrowed").isSameAs(again);
            assertThat(p.getConnection().getMetaData()).isNotNull();
        }
    }

    @Test
    void aReusedStatementSeesWhatOtherConnectionsCommittedEvenIfItsLastResultWasLeftOpen() throws Exception {
        try (Connection reader = pool.getConnection(); Connection writer = pool.getConnection()) {
            // A careless caller: reads one row of three and closes only the statement. The SQLite
            // statement is mid-read; kept as it is, it would hold the connection's view of the database.
            PreparedStatement p = reader.prepareStatement("SELECT v FROM kv ORDER BY k");
            ResultSet rs = p.executeQuery();
            assertThat(rs.next()).isTrue();
            p.close();

            try (PreparedStatement w = writer.prepareStatement("UPDATE kv SET v = ? WHERE k = ?")) {
                w.setLong(1, 42);
                w.setString(2, "c");
                assertThat(w.executeUpdate()).isEqualTo(1);
            }
            // Another statement on the reader's connection: it must not share a stale read.
            assertThat(value(reader, "c")).isEqualTo(42);
            try (PreparedStatement again = reader.prepareStatement("SELECT v FROM kv ORDER BY k");
                    ResultSet all = again.executeQuery()) {
                assertThat(all.next() && all.next() && all.next()).isTrue();
                assertThat(all.getLong(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void theSameStatementAskedForWhileOpenIsASeparateOne() throws Exception {
        try (Connection c = pool.getConnection();
                PreparedStatement outer = c.prepareStatement("SELECT k FROM kv WHERE v >= ? ORDER BY k")) {
            outer.setLong(1, 1);
            try (ResultSet rs = outer.executeQuery()) {
                assertThat(rs.next()).isTrue();
                try (PreparedStatement inner = c.prepareStatement("SELECT k FROM kv WHERE v >= ? ORDER BY k")) {
                    assertThat(physical(inner)).isNotSameAs(physical(outer));
                    inner.setLong(1, 3);
                    try (ResultSet other = inner.executeQuery()) {
                        assertThat(other.next()).isTrue();
                        assertThat(other.getString(1)).isEqualTo("c");
                    }
                }
                assertThat(rs.getString(1)).isEqualTo("a");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("b");
            }
        }
    }

    @Test
    void aStatementWithASettingOrAFailureIsNotKept() throws Exception {
        try (Connection c = pool.getConnection()) {
            PreparedStatement limited;
            try (PreparedStatement p = c.prepareStatement("SELECT k FROM kv ORDER BY k")) {
                p.setMaxRows(1);
                limited = physical(p);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT k FROM kv ORDER BY k"); ResultSet rs = p.executeQuery()) {
                assertThat(physical(p)).isNotSameAs(limited);
                int rows = 0;
                while (rs.next()) {
                    rows++;
                }
                assertThat(rows).as("no row limit carried over").isEqualTo(3);
            }

            PreparedStatement failed;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
                failed = physical(p);
                p.setString(1, "a");
                p.setLong(2, 9);
                assertThatThrownBy(p::executeUpdate).isInstanceOf(SQLException.class);
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
                assertThat(physical(p)).isNotSameAs(failed);
                p.setString(1, "d");
                p.setLong(2, 4);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
        }
    }

    @Test
    void aClosedStatementCannotBeUsedAndParametersDoNotCarryOver() throws Exception {
        try (Connection c = pool.getConnection()) {
            PreparedStatement p = c.prepareStatement("SELECT v FROM kv WHERE k = ?");
            p.setString(1, "a");
            p.close();
            assertThat(p.isClosed()).isTrue();
            assertThatThrownBy(p::executeQuery).isInstanceOf(SQLException.class);
            try (PreparedStatement again = c.prepareStatement("SELECT v FROM kv WHERE k = ?");
                    ResultSet rs = again.executeQuery()) {
                assertThat(rs.next()).as("the old binding ('a') is gone: k = NULL matches nothing").isFalse();
            }
        }
    }
}
