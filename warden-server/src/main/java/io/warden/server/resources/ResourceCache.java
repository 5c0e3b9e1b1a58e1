package io.warden.server.resources;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.warden.api.Kind;
import io.warden.api.Resource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Parsed resources kept between reads, exact as of the resourceVersion a read is made at: every
 * resource write (on any replica) takes the next version from the database's counter in its own
 * transaction, so an entry remembered at version {@code v} is what the database holds for as long
 * as the counter still reads {@code v}. A read takes the counter first (one primary-key read) and
 * uses an entry only if it was made at that version; otherwise it reads the rows and remembers
 * them at that version. An entry is never older than its version (the counter is read before the
 * rows, and only committed data is ever read), so the cache cannot hand out a change that was
 * superseded or rolled back.
 *
 * <p>Within one HTTP request ({@link #openScope}) the counter is read once and reused: the request
 * sees the resources as of its first resource read, as a single read of everything would. The
 * scope reads it again after {@link #SCOPE_REUSE_NANOS} (a long poll) and after any resource
 * write this server completed (a request that writes, then reads, sees its write). A transaction
 * that has written resources and not yet ended bypasses the cache both ways: it reads its own
 * uncommitted rows, which must never be remembered.
 *
 * <p>Values are shared between callers: they are read-only (nothing in the server changes a
 * resource it read).
 */
@Component
final class ResourceCache {

    /** A request older than this reads the counter again before trusting the cache. */
    static final long SCOPE_REUSE_NANOS = 1_000_000_000L;
    /** Beyond this many entries the cache starts afresh (resources are configuration: few). */
    static final int MAX_ENTRIES = 4096;
    /** A list longer than this is not remembered. */
    static final int MAX_LIST = 1000;

    private record Key(String kind, String namespace, String name) {
    }

    private record Entry(long version, Object value) {
    }

    /** A request's view: the counter as read at {@code readAt}, valid while no local write completed. */
    private static final class Scope {
        long version = -1;
        long writes;
        long readAt;
    }

    private static final Object WRITING = new Object();

    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
    private final ResourceStore store;
    /** Resource write transactions this server completed (committed or rolled back). */
    private final AtomicLong localWrites = new AtomicLong();
    private final ThreadLocal<Scope> scope = new ThreadLocal<>();
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();

    ResourceCache(ResourceStore store, MeterRegistry metrics) {
        this.store = store;
        FunctionCounter.builder("warden.resources.cache.hits", hits, AtomicLong::get)
                .description("Resource reads answered from memory at the current resourceVersion").register(metrics);
        FunctionCounter.builder("warden.resources.cache.misses", misses, AtomicLong::get)
                .description("Resource reads that went to the database").register(metrics);
    }

    /** Starts a request's view on this thread; {@link #closeScope} ends it. */
    void openScope() {
        scope.set(new Scope());
    }

    void closeScope() {
        scope.remove();
    }

    /**
     * For a lookup that reads the counter as one of its columns, before the request reads any
     * resource: call this before the lookup, then the consumer with the value it read. The
     * request's view then starts at that version without a read of its own (the counter is still
     * read before any resource row, which is all the cache needs). Without an open view, or with
     * one already read, the value is ignored.
     */
    LongConsumer sighting() {
        Scope s = scope.get();
        if (s == null) {
            return version -> { };
        }
        long writes = localWrites.get();
        long at = System.nanoTime();
        return version -> {
            if (s.version < 0) {
                s.version = version;
                s.writes = writes;
                s.readAt = at;
            }
        };
    }

    /**
     * Marks the current transaction as one that writes resources: until it ends, reads in it go
     * to the database, and once it ends every request's view is read again.
     */
    void writing() {
        if (TransactionSynchronizationManager.hasResource(WRITING)) {
            return;
        }
        TransactionSynchronizationManager.bindResource(WRITING, Boolean.TRUE);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WRITING);
                localWrites.incrementAndGet();
            }
        });
    }

    Optional<Resource> find(Kind kind, String namespace, String name, Supplier<Optional<Resource>> read) {
        @SuppressWarnings("unchecked")
        Optional<Resource> found = (Optional<Resource>) get(new Key(kind.name(), namespace, name), read);
        return found;
    }

    List<Resource> all(Kind kind, String namespace, Supplier<List<Resource>> read) {
        @SuppressWarnings("unchecked")
        List<Resource> found = (List<Resource>) get(new Key(kind.name(), namespace, null), read);
        return found;
    }

    private Object get(Key key, Supplier<?> read) {
        if (TransactionSynchronizationManager.hasResource(WRITING)) {
            return read.get();
        }
        long version = version();
        Entry entry = entries.get(key);
        if (entry != null && entry.version() == version) {
            hits.incrementAndGet();
            return entry.value();
        }
        misses.incrementAndGet();
        Object value = read.get();
        if (value instanceof List<?> list && list.size() > MAX_LIST) {
            return value;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        // Keep whichever entry was made at the later version (a slow reader must not undo a fresh one).
        entries.merge(key, new Entry(version, value), (old, fresh) -> old.version() > fresh.version() ? old : fresh);
        return value;
    }

    /** The counter, read now or reused from this request's view while that is still good. */
    private long version() {
        Scope s = scope.get();
        long writes = localWrites.get();
        long now = System.nanoTime();
        if (s != null && s.version >= 0 && s.writes == writes && now - s.readAt < SCOPE_REUSE_NANOS) {
            return s.version;
        }
        long version = store.currentVersion();
        if (s != null) {
            s.version = version;
            s.writes = writes;
            s.readAt = now;
        }
        return version;
    }
}
