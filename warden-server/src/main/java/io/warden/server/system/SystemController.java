package io.warden.server.system;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import io.warden.api.Kinds;
import io.warden.server.storage.Database;
import io.warden.server.web.Requires;
import io.warden.server.web.Verb;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Liveness, readiness and version: open to everyone, reveal nothing sensitive. */
@RestController
class SystemController {

    private static final Logger log = LoggerFactory.getLogger(SystemController.class);

    private final JdbcClient jdbc;
    private final Flyway flyway;
    private final Database database;
    private final String version;
    private final ApplicationAvailability availability;

    SystemController(JdbcClient jdbc, Flyway flyway, Database database, ObjectProvider<BuildProperties> build,
            ApplicationAvailability availability) {
        this.availability = availability;
        this.jdbc = jdbc;
        this.flyway = flyway;
        this.database = database;
        BuildProperties props = build.getIfAvailable();
        this.version = props == null ? "dev" : props.getVersion();
    }

    @Requires(Verb.PUBLIC)
    @GetMapping("/healthz")
    Map<String, String> health() {
        return Map.of("status", "ok");
    }

    @Requires(Verb.PUBLIC)
    @GetMapping("/readyz")
    ResponseEntity<Map<String, String>> ready() {
        // Not before the startup runners (built-in roles, the setup token) have finished.
        if (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
            return ResponseEntity.status(503).body(Map.of("status", "starting"));
        }
        try {
            jdbc.sql("SELECT 1").query(Integer.class).single();
            if (flyway.info().pending().length > 0) {
                return ResponseEntity.status(503).body(Map.of("status", "migrations pending"));
            }
            return ResponseEntity.ok(Map.of("status", "ready"));
        } catch (RuntimeException e) {
            log.warn("not ready: database check failed", e);
            return ResponseEntity.status(503).body(Map.of("status", "database unavailable"));
        }
    }

    @Requires(Verb.PUBLIC)
    @GetMapping("/v1/version")
    Map<String, String> version() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("version", version);
        v.put("apiVersion", Kinds.API_VERSION);
        v.put("database", database.id());
        v.put("java", Runtime.version().toString());
        return v;
    }
}
