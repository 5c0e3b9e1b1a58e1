package io.warden.server.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warden.server.web.Requires;
import io.warden.server.web.Verb;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Metrics in the Prometheus text format at {@code GET /v1/metrics}, behind the same
 * authentication and authorization as the rest of the API (admins by default; grant
 * {@code get} on {@code metrics} to a scraper's token).
 */
@RestController
class MetricsController {

    private final PrometheusMeterRegistry registry;

    MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @GetMapping("/v1/metrics")
    @Requires(value = Verb.GET, resource = "metrics")
    ResponseEntity<String> scrape() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8"))
                .body(registry.scrape());
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        PrometheusMeterRegistry prometheusMeterRegistry() {
            return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        }
    }
}
