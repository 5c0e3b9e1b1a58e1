package io.warden.server.tasks;

import io.warden.server.storage.Database;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Cross-replica wake-ups on PostgreSQL: a queue change issues {@code NOTIFY warden_tasks} in its
 * transaction (delivered at commit), and one connection per replica LISTENs and fires the
 * {@link TaskSignal}. On SQLite there is one server and the in-process signal is enough.
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

    /** What changed: the payload of a notification. */
    enum Change {
        QUEUE("q"), EVENTS("e"), QUEUE_AND_EVENTS("qe");

        final String payload;

        Change(String payload) {
            this.payload = payload;
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

    /** Within a transaction: tells every replica, once it commits, what changed. */
    void notifyInTransaction(Change change) {
        if (database == Database.POSTGRESQL) {
            jdbc.sql("SELECT pg_notify('" + CHANNEL + "', ?)").param(change.payload).query((rs, i) -> 0).list();
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
                            String payload = note.getParameter();
                            if (payload.contains(Change.QUEUE.payload)) {
                                queue.fire();
                            }
                            if (payload.contains(Change.EVENTS.payload)) {
                                events.fire();
                            }
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
            listener = Thread.ofPlatform().name("task-notifications").daemon().start(this::listen);
        }
    }

    @Override
    public void stop() {
        Thread t = listener;
        listener = null;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return listener != null;
    }
}
