package io.warden.server.tasks;

import io.warden.server.storage.Database;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Cross-replica wake-ups on PostgreSQL: once a queue change commits, a notifier thread issues
 * {@code NOTIFY warden_tasks} (one for all the changes that committed since its last), and one
 * connection per replica LISTENs and fires the {@link TaskSignal}. Not in the change's own
 * transaction: PostgreSQL holds one database-wide lock from a notifying transaction's commit until
 * its commit record is flushed, so notifying inside every task transaction made all of them commit
 * one at a time, each waiting for its own disk flush; a notification alone writes nothing and holds
 * that lock for an instant. On SQLite there is one server and the in-process signal is enough.
 * If the listening connection breaks, it is opened again; meanwhile waiters still look every
 * second, so a lost notification costs latency, never a task.
 */
@Component
class TaskNotifications implements SmartLifecycle {

    static final String CHANNEL = "warden_tasks";
    private static final Logger log = LoggerFactory.getLogger(TaskNotifications.class);

    private final Database database;
    private final DataSource dataSource;
    private final TaskSignal queue;
    private final TaskEventSignal events;
    private volatile Thread listener;
    private volatile Thread notifier;
    /** Changes committed and not yet announced: bit 1 the queue, bit 2 the histories. */
    private final AtomicInteger unannounced = new AtomicInteger();

    /** What changed: bit 1 the queue, bit 2 the histories; the payload of a notification names them. */
    enum Change {
        QUEUE(1), EVENTS(2), QUEUE_AND_EVENTS(3);

        final int bits;

        Change(int bits) {
            this.bits = bits;
        }

        static String payload(int bits) {
            return ((bits & QUEUE.bits) != 0 ? "q" : "") + ((bits & EVENTS.bits) != 0 ? "e" : "");
        }

        static int bits(String payload) {
            return (payload.contains("q") ? QUEUE.bits : 0) | (payload.contains("e") ? EVENTS.bits : 0);
        }
    }

    private final JdbcClient jdbc;

    TaskNotifications(Database database, DataSource dataSource, JdbcClient jdbc, TaskSignal queue, TaskEventSignal events) {
        this.jdbc = jdbc;
        this.database = database;
        this.dataSource = dataSource;
        this.queue = queue;
        this.events = events;
    }

    /**
     * Within a transaction: once it commits, wakes this server's claimers (the queue changed)
     * and followers (histories grew), and tells every other replica.
     */
    void afterCommit(Change change) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                fire(change.bits);
                if (database == Database.POSTGRESQL) {
                    unannounced.getAndUpdate(bits -> bits | change.bits);
                    LockSupport.unpark(notifier);
                }
            }
        });
    }

    private void fire(int bits) {
        if ((bits & Change.QUEUE.bits) != 0) {
            queue.fire();
        }
        if ((bits & Change.EVENTS.bits) != 0) {
            events.fire();
        }
    }

    /** Announces what committed since the last announcement, in one notification. */
    private void announce() {
        while (notifier == Thread.currentThread()) {
            int bits = unannounced.getAndSet(0);
            if (bits == 0) {
                LockSupport.parkNanos(1_000_000_000L);
                continue;
            }
            try {
                jdbc.sql("SELECT pg_notify('" + CHANNEL + "', ?)").param(Change.payload(bits)).query((rs, i) -> 0).list();
            } catch (RuntimeException e) {
                // Other replicas' waiters still look every second: a lost notification costs latency only.
                log.warn("task notifications: could not notify other replicas ({})", e.getClass().getName());
                LockSupport.parkNanos(100_000_000L); // do not spin on a failing database
            }
        }
    }

    private void listen() {
        while (listener == Thread.currentThread()) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                while (listener == Thread.currentThread()) {
                    var notes = pg.getNotifications(1000);
                    if (notes != null) {
                        for (var note : notes) {
                            fire(Change.bits(note.getParameter()));
                        }
                    }
                }
            } catch (Exception e) {
                if (listener != Thread.currentThread()) {
                    return;
                }
                log.warn("task notifications: listening connection lost ({}); reconnecting", e.getMessage());
                try {
                    Thread.sleep(1000); // back off before reconnecting; waiters poll meanwhile
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        if (database == Database.POSTGRESQL) {
            // Assigned before they start: each runs while it is the one in its field.
            Thread l = Thread.ofPlatform().name("task-notifications").daemon().unstarted(this::listen);
            Thread n = Thread.ofPlatform().name("task-notifier").daemon().unstarted(this::announce);
            listener = l;
            notifier = n;
            l.start();
            n.start();
        }
    }

    @Override
    public void stop() {
        Thread t = listener;
        listener = null;
        if (t != null) {
            t.interrupt();
        }
        Thread n = notifier;
        notifier = null;
        if (n != null) {
            LockSupport.unpark(n);
        }
    }

    @Override
    public boolean isRunning() {
        return listener != null;
    }
}
