package io.warden.server.storage;

import java.io.Closeable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Keeps SQLite's compiled statements between uses, per connection. sqlite-jdbc compiles every
 * {@code prepareStatement} anew and HikariCP leaves statement caching to the driver, which has none
 * (xerial/sqlite-jdbc#614), so the same few dozen statements were compiled thousands of times a
 * second: a fifth of the server's CPU under load. See docs/decisions/0007-sqlite-statement-cache.md.
 *
 * <p>Only {@link Connection#prepareStatement(String)} is cached. A cached statement is used by one
 * caller at a time (the same SQL asked for again while it is open gets a fresh, uncached one), and
 * it is reset before it is used again: its result set is closed (which resets the SQLite statement
 * and ends its read of the database), its parameters and batch cleared. A statement that was used
 * in any other way than binding parameters and executing (a timeout or row limit set, a plain
 * {@code execute}, generated keys asked for) or that failed is closed instead of kept, so no
 * setting and no state can leak from one use to the next.
 */
final class SqliteStatementCache extends DelegatingDataSource implements Closeable {

    /** Statements kept per connection; the least recently used is closed beyond this. */
    static final int PER_CONNECTION = 128;

    /** What a caller may do with a cached statement and still leave it reusable. */
    private static final Set<String> REUSABLE = Set.of("executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch",
            "executeBatch", "executeLargeBatch", "clearBatch", "clearParameters", "getParameterMetaData", "getConnection",
            "getWarnings", "clearWarnings", "getUpdateCount", "getLargeUpdateCount", "getMetaData", "isClosed", "unwrap",
            "isWrapperFor");
    /** Setters that change the statement rather than bind a parameter. */
    private static final Set<String> SETTINGS = Set.of("setQueryTimeout", "setMaxRows", "setLargeMaxRows", "setFetchSize",
            "setFetchDirection", "setEscapeProcessing", "setPoolable", "setCursorName", "setMaxFieldSize");

    /** Per physical connection; a closed one is dropped when the pool opens a new one. */
    private final Map<Connection, Cache> caches = new IdentityHashMap<>();
    private final Closeable pool;

    SqliteStatementCache(DataSource pool, Closeable closer) {
        super(pool);
        this.pool = closer;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return wrap(super.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return wrap(super.getConnection(username, password));
    }

    @Override
    public void close() throws java.io.IOException {
        pool.close();
    }

    private Connection wrap(Connection pooled) throws SQLException {
        Connection physical = pooled.unwrap(Connection.class);
        Cache cache = cacheOf(physical);
        Connection[] self = new Connection[1];
        self[0] = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
                        return cache.prepare(physical, (String) args[0], self[0]);
                    }
                    if (method.getName().equals("close")) {
                        cache.releaseAll();
                    }
                    return invoke(pooled, method, args);
                });
        return self[0];
    }

    private Cache cacheOf(Connection physical) {
        synchronized (caches) {
            Cache cache = caches.get(physical);
            if (cache == null) {
                // A new connection: forget those the pool has closed (their statements hold them).
                caches.keySet().removeIf(SqliteStatementCache::isClosed);
                cache = new Cache();
                caches.put(physical, cache);
            }
            return cache;
        }
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One connection's statements, by SQL text; used by the one thread holding the connection. */
    private static final class Cache {
        private final LinkedHashMap<String, Cached> statements = new LinkedHashMap<>(32, 0.75f, true);

        synchronized PreparedStatement prepare(Connection physical, String sql, Connection owner) throws SQLException {
            Cached cached = statements.get(sql);
            if (cached != null && (cached.inUse || cached.statement.isClosed())) {
                if (cached.inUse) {
                    return physical.prepareStatement(sql); // nested use of the same SQL: a fresh one
                }
                statements.remove(sql);
                cached = null;
            }
            if (cached == null) {
                cached = new Cached(this, sql, physical.prepareStatement(sql), owner);
                statements.put(sql, cached);
                evictBeyondLimit();
            }
            cached.inUse = true;
            cached.discard = false;
            cached.owner = owner; // this borrowing of the connection
            return cached.proxy;
        }

        private void evictBeyondLimit() {
            var it = statements.entrySet().iterator();
            while (statements.size() > PER_CONNECTION && it.hasNext()) {
                Cached oldest = it.next().getValue();
                if (!oldest.inUse) {
                    it.remove();
                    oldest.closeQuietly();
                }
            }
        }

        synchronized void remove(Cached c) {
            statements.remove(c.sql, c);
        }

        /** The connection goes back to the pool: anything its borrower left open is reset now. */
        synchronized void releaseAll() {
            List<Cached> open = new ArrayList<>();
            for (Cached c : statements.values()) {
                if (c.inUse) {
                    open.add(c);
                }
            }
            for (Cached c : open) {
                c.release();
            }
        }
    }

    private static final class Cached implements InvocationHandler {
        final Cache cache;
        final String sql;
        final PreparedStatement statement;
        final PreparedStatement proxy;
        Connection owner;
        boolean inUse;
        boolean discard;
        boolean batched;
        ResultSet results;

        Cached(Cache cache, String sql, PreparedStatement statement, Connection owner) {
            this.cache = cache;
            this.sql = sql;
            this.statement = statement;
            this.owner = owner;
            this.proxy = (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
                    new Class<?>[] {PreparedStatement.class}, this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (method.getDeclaringClass() == Object.class) {
                return switch (name) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "cached " + statement;
                };
            }
            if (name.equals("close")) {
                release();
                return null;
            }
            if (name.equals("isClosed")) {
                return !inUse;
            }
            if (!inUse) {
                throw new SQLException("statement is closed");
            }
            if (name.equals("getConnection")) {
                return owner;
            }
            if (!REUSABLE.contains(name) && (!name.startsWith("set") || SETTINGS.contains(name))) {
                discard = true; // used in a way that may leave state behind: not kept
            }
            if (name.equals("addBatch")) {
                batched = true;
            }
            try {
                Object out = method.invoke(statement, args);
                if (out instanceof ResultSet rs) {
                    results = rs;
                }
                return out;
            } catch (InvocationTargetException e) {
                discard = true;
                throw e.getCause();
            }
        }

        /** Back to the cache, reset; or closed, if it cannot be trusted to be clean. */
        void release() {
            if (!inUse) {
                return;
            }
            inUse = false;
            try {
                if (results != null) {
                    results.close(); // resets the SQLite statement, ending its read
                }
                if (batched) {
                    statement.clearBatch();
                }
                statement.clearParameters();
            } catch (SQLException e) {
                discard = true;
            }
            results = null;
            batched = false;
            if (discard) {
                cache.remove(this);
                closeQuietly();
            }
        }

        void closeQuietly() {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing a statement of a connection that is gone
            }
        }
    }
}
