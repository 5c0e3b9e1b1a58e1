package io.warden.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Metadata of a list: the resourceVersion to start a watch from, and the opaque token for
 * the next page ({@code continue}), absent on the last page.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListMeta(String resourceVersion, @JsonProperty("continue") String continueToken) {
}
