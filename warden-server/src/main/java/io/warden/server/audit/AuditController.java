package io.warden.server.audit;

import io.warden.api.Names;
import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.core.audit.Checkpoint;
import io.warden.server.WardenProperties;
import io.warden.server.web.ApiProblem;
import io.warden.server.web.Requires;
import io.warden.server.web.Verb;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit API (docs/reference/api.md): events with filters and a cursor, checkpoints, the
 * public key, and server-side verification streamed as JSON Lines. Readers are admins and the
 * {@code auditor} role; the public key is public.
 *
 * <p>A chain is chosen with {@code namespace=NS} or {@code cluster=true}; neither means every
 * chain.
 */
@RestController
class AuditController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AuditController.class);

    static final String EVENTS = "auditevents";
    static final String CHECKPOINTS = "auditcheckpoints";
    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");
    private static final int DEFAULT_LIMIT = 100;

    private final AuditStore store;
    private final AuditLog audit;
    private final AuditVerification verification;
    private final JsonMapper json;
    private final int maxLimit;

    AuditController(AuditStore store, AuditLog audit, AuditVerification verification, JsonMapper json,
            WardenProperties props) {
        this.store = store;
        this.audit = audit;
        this.verification = verification;
        this.json = json;
        this.maxLimit = props.limits().maxListLimit();
    }

    /** One page of events, and where to continue (also to follow new events: poll with it). */
    record EventPage(List<AuditRecord> items, String next, boolean more) {
    }

    record CheckpointPage(String chain, Checkpoint anchor, List<Checkpoint> items, String next) {
    }

    @GetMapping("/v1/audit/events")
    @Requires(value = Verb.LIST, resource = EVENTS)
    EventPage events(@RequestParam(required = false) String namespace,
            @RequestParam(required = false) Boolean cluster,
            @RequestParam(required = false) String actor,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String targetKind,
            @RequestParam(required = false) String targetName,
            @RequestParam(required = false) String outcome,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) Integer last,
            @RequestParam(name = "continue", required = false) String cursor) {
        AuditStore.Filter filter = new AuditStore.Filter(chain(namespace, cluster), actor, action, targetKind,
                targetName, outcome, time("since", since), time("until", until));
        if (last != null) {
            if (cursor != null) {
                throw ApiProblem.badRequest("'last' and 'continue' cannot be combined");
            }
            // The last N up to the heads read now; the cursor continues from those heads.
            Map<String, Long> heads = new LinkedHashMap<>();
            store.heads().forEach(h -> heads.put(h.chain(), h.seq()));
            List<AuditRecord> items = store.last(filter, heads, size("last", last));
            return new EventPage(items, AuditCursor.encode(heads), false);
        }
        int n = size("limit", limit == null ? DEFAULT_LIMIT : limit);
        Map<String, Long> after = AuditCursor.decode(cursor);
        List<AuditRecord> items = store.page(filter, after, n + 1);
        boolean more = items.size() > n;
        if (more) {
            items = items.subList(0, n);
        }
        Map<String, Long> next = new LinkedHashMap<>(after);
        items.forEach(r -> next.merge(r.chain(), r.seq(), Math::max));
        return new EventPage(items, AuditCursor.encode(next), more);
    }

    @GetMapping("/v1/audit/checkpoints")
    @Requires(value = Verb.LIST, resource = CHECKPOINTS)
    CheckpointPage checkpoints(@RequestParam(required = false) String namespace,
            @RequestParam(required = false) Boolean cluster,
            @RequestParam(required = false) Integer limit,
            @RequestParam(name = "continue", required = false) String cursor) {
        String chain = chain(namespace, cluster);
        int n = size("limit", limit == null ? maxLimit : limit);
        AuditCursor.Position from = AuditCursor.decodePosition(cursor);
        List<Checkpoint> items = store.checkpoints(chain, from.chain(), from.seq(), n + 1);
        String next = null;
        if (items.size() > n) {
            items = items.subList(0, n);
            Checkpoint lastItem = items.get(n - 1);
            next = AuditCursor.encodePosition(lastItem.chain(), lastItem.seq());
        }
        Checkpoint anchor = chain == null ? null : store.anchor(chain).orElse(null);
        return new CheckpointPage(chain, anchor, items, next);
    }

    /**
     * Signs a checkpoint of the chain's head now (if it moved since its last) and returns it, so
     * an export taken next is covered to its last event. 404 for a chain with no events.
     */
    @PostMapping("/v1/audit/checkpoints")
    @Requires(value = Verb.CREATE, resource = CHECKPOINTS)
    Checkpoint checkpointNow(@RequestParam(required = false) String namespace,
            @RequestParam(required = false) Boolean cluster) {
        String chain = chain(namespace, cluster);
        if (chain == null) {
            throw ApiProblem.badRequest("name a chain: namespace=NS or cluster=true");
        }
        return audit.checkpointNow(chain).orElseThrow(() -> ApiProblem.notFound("this chain has no events"));
    }

    @GetMapping(value = "/v1/audit/public-key")
    @Requires(Verb.PUBLIC)
    ResponseEntity<String> publicKey() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/x-pem-file"))
                .body(audit.checkpointPublicKey().publicKeyPem());
    }

    /**
     * Verifies one chain or all of them, streaming JSON Lines: progress lines, one result line per
     * chain, and a summary line last.
     */
    @GetMapping(value = "/v1/audit/verify")
    @Requires(value = Verb.LIST, resource = EVENTS)
    ResponseEntity<StreamingResponseBody> verify(@RequestParam(required = false) String namespace,
            @RequestParam(required = false) Boolean cluster, jakarta.servlet.http.HttpServletRequest request) {
        String only = chain(namespace, cluster);
        List<String> chains = only == null ? verification.chains() : List.of(only);
        String requestId = io.warden.server.web.RequestIds.of(request);
        StreamingResponseBody body = out -> {
            int failed = 0;
            try {
                for (String chain : chains) {
                    ChainVerifier.Result result = verification.verify(chain, n -> {
                        if (n % 10_000 == 0) {
                            line(out, Map.of("chain", chain, "status", "verifying", "verified", n));
                        }
                    });
                    failed += result instanceof ChainVerifier.Failed ? 1 : 0;
                    line(out, resultLine(chain, result));
                }
            } catch (UncheckedIOException e) {
                return; // the client went away
            } catch (RuntimeException e) {
                // The status line is long gone: say so in the stream, never with internals.
                log.error("audit verification stopped by an error", e);
                line(out, Map.of("status", "error", "detail", "verification could not finish (database unavailable?);"
                        + " the server log has the cause under request id " + requestId));
                return;
            }
            line(out, Map.of("status", failed == 0 ? "ok" : "failed", "chains", chains.size(), "failed", failed));
        };
        return ResponseEntity.ok().contentType(NDJSON).body(body);
    }

    static Map<String, Object> resultLine(String chain, ChainVerifier.Result result) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("chain", chain);
        switch (result) {
            case ChainVerifier.Ok ok -> {
                line.put("status", "ok");
                line.put("count", ok.count());
                line.put("lastSeq", ok.lastSeq());
                line.put("lastCheckpoint", ok.lastCheckpoint());
            }
            case ChainVerifier.Failed f -> {
                line.put("status", "failed");
                line.put("problem", f.problem().name());
                line.put("seq", f.seq());
                line.put("detail", f.detail());
                line.put("verified", f.verified());
            }
        }
        return line;
    }

    private void line(OutputStream out, Object value) {
        try {
            out.write((json.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The chain a request names: a namespace, the cluster chain (""), or null for all. */
    private static String chain(String namespace, Boolean cluster) {
        boolean isCluster = Boolean.TRUE.equals(cluster);
        if (namespace != null && isCluster) {
            throw ApiProblem.badRequest("give either namespace or cluster=true, not both");
        }
        if (namespace != null && !Names.isDns1123Label(namespace)) {
            throw ApiProblem.badRequest("namespace must be a DNS-1123 label");
        }
        return isCluster ? AuditRecord.CLUSTER_CHAIN : namespace;
    }

    private int size(String name, int value) {
        if (value < 1 || value > maxLimit) {
            throw ApiProblem.badRequest("'" + name + "' must be between 1 and " + maxLimit);
        }
        return value;
    }

    /** RFC 3339 (2026-11-22T10:00:00Z) or milliseconds since the epoch. */
    private static Long time(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return value.chars().allMatch(Character::isDigit) && value.length() < 19
                    ? Long.parseLong(value)
                    : Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiProblem.badRequest("'" + name + "' must be an RFC 3339 time (2026-11-22T10:00:00Z) or epoch milliseconds");
        }
    }
}
