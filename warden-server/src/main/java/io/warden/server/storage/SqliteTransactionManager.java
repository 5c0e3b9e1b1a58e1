package io.warden.server.storage;

import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * SQLite's transactions, one at a time in this process. SQLite has a single writer, and every
 * Warden transaction begins IMMEDIATE (it takes the write lock at once). Left to SQLite, a second
 * writer finds the lock taken and its busy handler sleeps (1, 2, 5, 10 ... 100 ms) before it looks
 * again, so under concurrent writes most of the time goes to sleeping while the lock is free.
 * A fair lock here hands the database to the next transaction the moment the last one ends, in
 * arrival order. (Nothing in Warden opens a transaction inside another; on SQLite that would
 * wait on the outer one's write lock either way.) Other processes (the CLI never writes; a DBA's
 * sqlite3 shell might) still meet SQLite's own busy timeout.
 */
final class SqliteTransactionManager extends JdbcTransactionManager {

    private final transient ReentrantLock writer = new ReentrantLock(true);

    SqliteTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void doBegin(Object transaction, TransactionDefinition definition) {
        writer.lock();
        try {
            super.doBegin(transaction, definition);
        } catch (RuntimeException | Error e) {
            writer.unlock();
            throw e;
        }
    }

    @Override
    protected void doCleanupAfterCompletion(Object transaction) {
        try {
            super.doCleanupAfterCompletion(transaction);
        } finally {
            writer.unlock();
        }
    }
}
