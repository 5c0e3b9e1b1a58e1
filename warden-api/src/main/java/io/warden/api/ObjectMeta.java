package io.warden.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * Metadata of a resource. {@code name}, {@code namespace}, {@code labels} and
 * {@code annotations} are written by clients; the rest is written by the server and ignored
 * on input, except {@code resourceVersion}, which makes a write conditional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectMeta(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> annotations,
        String uid,
        String resourceVersion,
        Long generation,
        Instant creationTimestamp,
        Instant updateTimestamp) {
}
