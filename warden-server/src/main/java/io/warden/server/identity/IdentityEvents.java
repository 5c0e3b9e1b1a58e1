package io.warden.server.identity;

import io.warden.core.audit.AuditRecord;
import io.warden.server.audit.AuditLog;
import io.warden.server.web.RequestContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** The audit records of identity: all on the cluster chain, never holding a secret. */
@Component
class IdentityEvents {

    private final AuditLog audit;
    private final JsonMapper json;

    IdentityEvents(AuditLog audit, JsonMapper json) {
        this.audit = audit;
        this.json = json;
    }

    private AuditLog.Event event(RequestContext ctx, String action, String targetKind, String targetName, String outcome,
            Map<String, ?> details) {
        return new AuditLog.Event(AuditRecord.CLUSTER_CHAIN, ctx.actorKind(), ctx.actorId(), ctx.caller().credentialRef(), action,
                targetKind, null, targetName, outcome, ctx.requestId(), ctx.clientAddress(),
                details.isEmpty() ? null : json.writeValueAsString(details));
    }

    /** Stages a record in the current transaction (it commits with the change it describes). */
    CompletableFuture<AuditRecord> stage(RequestContext ctx, String action, String targetKind, String targetName,
            String outcome, Map<String, ?> details) {
        return audit.record(event(ctx, action, targetKind, targetName, outcome, details));
    }

    /** Stages a successful record about an object in a namespace, on that namespace's chain. */
    CompletableFuture<AuditRecord> stageIn(RequestContext ctx, String namespace, String action, String targetKind,
            String targetName, Map<String, ?> details) {
        return audit.record(new AuditLog.Event(namespace, ctx.actorKind(), ctx.actorId(), ctx.caller().credentialRef(), action,
                targetKind, namespace, targetName, "success", ctx.requestId(), ctx.clientAddress(),
                details.isEmpty() ? null : json.writeValueAsString(details)));
    }

    /** Stages a successful password login: the actor is the user who just proved itself. */
    CompletableFuture<AuditRecord> stageLogin(RequestContext ctx, String username) {
        return audit.record(new AuditLog.Event(AuditRecord.CLUSTER_CHAIN, "user", username, "password", "auth.login",
                "User", null, username, "success", ctx.requestId(), ctx.clientAddress(), null));
    }

    /** Records an event that changes nothing by itself (a refusal); blocks until sealed, 503 if it cannot be. */
    void append(RequestContext ctx, String action, String targetKind, String targetName, String outcome,
            Map<String, ?> details) {
        audit.append(event(ctx, action, targetKind, targetName, outcome, details));
    }

    /**
     * A refused request, on its namespace's chain when it names one. A refusal inside a namespace
     * the caller cannot see still lands in that namespace's chain: its owners should know.
     */
    void appendRefusal(RequestContext ctx, String namespace, String resource, String name, Map<String, ?> details) {
        audit.append(new AuditLog.Event(namespace == null ? AuditRecord.CLUSTER_CHAIN : namespace, ctx.actorKind(),
                ctx.actorId(), ctx.caller().credentialRef(), "access.denied", resource, namespace, name, "denied",
                ctx.requestId(), ctx.clientAddress(), json.writeValueAsString(details)));
    }

    void settle(List<CompletableFuture<AuditRecord>> staged) {
        audit.settle(staged);
    }

    Map<String, Object> fingerprint(String value) {
        return audit.fingerprint(value);
    }
}
