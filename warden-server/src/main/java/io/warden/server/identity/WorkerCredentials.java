package io.warden.server.identity;

import io.warden.api.Kinds;
import io.warden.core.audit.AuditRecord;
import io.warden.core.crypto.Tokens;
import io.warden.server.resources.Resources;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.Caller;
import io.warden.server.web.RequestContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Credentials of Worker resources: {@code wdw_} and 256 random bits, shown once, stored as
 * SHA-256. Issuing one revokes the worker's earlier ones. A credential works while it is not
 * revoked and its Worker resource exists, so deleting the Worker shuts its process out.
 */
@Service
public class WorkerCredentials {

    static final String PREFIX = "wdw_";

    /** A credential just issued: the only time its value exists outside the worker. */
    public record Issued(String id, String namespace, String worker, String token) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Resources resources;
    private final IdentityEvents events;

    WorkerCredentials(JdbcClient jdbc, TransactionTemplate tx, Clock clock, Resources resources, IdentityEvents events) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.resources = resources;
        this.events = events;
    }

    /** Issues a credential for an existing Worker, revoking the ones it had. */
    public Issued issue(RequestContext ctx, String namespace, String worker) {
        if (resources.find(Kinds.WORKER, namespace, worker).isEmpty()) {
            throw ApiProblem.notFound("no Worker '" + worker + "' in namespace '" + namespace + "'");
        }
        String token = Tokens.newToken(PREFIX);
        String id = UUID.randomUUID().toString();
        long now = clock.millis();
        List<CompletableFuture<AuditRecord>> audited = new ArrayList<>();
        tx.executeWithoutResult(s -> {
            int revoked = jdbc.sql("UPDATE worker_credentials SET revoked_at = ? WHERE namespace = ? AND worker = ? AND revoked_at IS NULL")
                    .params(now, namespace, worker).update();
            jdbc.sql("INSERT INTO worker_credentials (id, token_hash, namespace, worker, created_at) VALUES (?, ?, ?, ?, ?)")
                    .params(id, Tokens.sha256Hex(token), namespace, worker, now).update();
            audited.add(events.stageIn(ctx, namespace, "worker.credential.issue", "Worker", worker,
                    Map.of("credentialId", id, "revokedEarlier", revoked)));
        });
        events.settle(audited);
        return new Issued(id, namespace, worker, token);
    }

    /** The caller a worker credential stands for; any invalid one gets the same 401. */
    Caller caller(String raw) {
        if (!raw.startsWith(PREFIX) || raw.length() > 128) {
            throw Credentials.invalid();
        }
        String hash = Tokens.sha256Hex(raw);
        record Row(String id, String hash, String namespace, String worker) {
        }
        // The same statement reads the resourceVersion, so the Worker's lookup below reads no counter.
        LongConsumer versionSeen = resources.versionSighting();
        Optional<Row> row = jdbc.sql("SELECT id, token_hash, namespace, worker, " + Resources.VERSION_COLUMN
                        + " FROM worker_credentials WHERE token_hash = ? AND revoked_at IS NULL")
                .param(hash).query((rs, i) -> {
                    versionSeen.accept(rs.getLong(5));
                    return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                })
                .optional();
        Row r = row.filter(x -> Tokens.constantTimeEquals(hash, x.hash())).orElseThrow(Credentials::invalid);
        if (!resources.exists(Kinds.WORKER, r.namespace(), r.worker())) {
            throw Credentials.invalid();
        }
        return new Caller("worker:" + r.namespace() + "/" + r.worker(), null,
                new Caller.Credential.WorkerToken(r.id(), r.namespace(), r.worker()));
    }
}
