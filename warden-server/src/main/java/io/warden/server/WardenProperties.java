package io.warden.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** Every setting of the server, bound from {@code warden.*} (and {@code WARDEN_*} variables). */
@ConfigurationProperties("warden")
public record WardenProperties(
        Path dataDir,
        @DefaultValue("127.0.0.1") String bind,
        @DefaultValue("8080") int port,
        @DefaultValue Db db,
        @DefaultValue Limits limits,
        @DefaultValue Watch watch,
        @DefaultValue Identity identity,
        @DefaultValue Edge edge,
        @DefaultValue Tls tls,
        @DefaultValue Audit audit,
        @DefaultValue Tasks tasks) {

    /** Database: the embedded SQLite file unless {@code url} names a PostgreSQL database. */
    public record Db(String url, String username, String password, @DefaultValue("10") int poolSize) {

        public boolean isPostgres() {
            return url != null && !url.isBlank();
        }
    }

    /** Input limits at the edge; exceeding one is a 4xx, never a 500. */
    public record Limits(
            @DefaultValue("1MB") DataSize maxBodySize,
            @DefaultValue("64") int maxJsonDepth,
            @DefaultValue("262144") int maxStringLength,
            @DefaultValue("1000") int maxListLimit) {
    }

    /** Sessions, tokens and login throttling. */
    public record Identity(
            @DefaultValue("30m") Duration sessionIdleTimeout,
            @DefaultValue("12h") Duration sessionAbsoluteTimeout,
            @DefaultValue("30d") Duration tokenDefaultTtl,
            @DefaultValue("365d") Duration tokenMaxTtl,
            @DefaultValue("5") int lockoutThreshold,
            @DefaultValue("15m") Duration lockoutMax) {
    }

    /** A token bucket: {@code perMinute} sustained, {@code burst} at once. */
    public record RateLimit(int perMinute, int burst) {
    }

    /** The network edge: proxies whose X-Forwarded-For is believed, CORS, rate limits. */
    public record Edge(
            @DefaultValue List<String> trustedProxies,
            @DefaultValue List<String> corsAllowedOrigins,
            @DefaultValue RateLimit credentialRateLimit,
            @DefaultValue RateLimit apiRateLimit) {
    }

    /** TLS from PEM files; without it the server listens on loopback only unless insecureHttp. */
    public record Tls(String cert, String key, @DefaultValue("false") boolean insecureHttp) {

        public boolean enabled() {
            return cert != null && !cert.isBlank();
        }
    }

    /** Watch streams: how often to look for changes made by other replicas, and keep-alives. */
    public record Watch(
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("15s") Duration keepAlive) {
    }

    /**
     * The audit ledger (docs/operations.md): checkpoint cadence, key files (default: created in
     * the data directory), retention, the JSON Lines export sink and the verification sweep.
     */
    public record Audit(
            @DefaultValue("1000") int checkpointEvery,
            @DefaultValue("60s") Duration checkpointInterval,
            String chainKeyFile,
            String checkpointKeyFile,
            @DefaultValue("0") int retentionDays,
            @DefaultValue("1h") Duration retentionInterval,
            String exportFile,
            @DefaultValue("100MB") DataSize exportMaxSize,
            @DefaultValue("5") int exportKeep,
            @DefaultValue("1h") Duration sweepInterval,
            @DefaultValue("2h") Duration sweepWindow) {
    }

    /** The task queue (docs/reference/tasks.md): leases, the reaper, long polls, retry defaults. */
    public record Tasks(
            @DefaultValue("30s") Duration leaseDuration,
            @DefaultValue("1s") Duration reapInterval,
            @DefaultValue("30s") Duration maxClaimWait,
            @DefaultValue("3") int defaultMaxAttempts,
            @DefaultValue("1s") Duration defaultBackoff,
            @DefaultValue("5m") Duration defaultMaxBackoff) {
    }
}
