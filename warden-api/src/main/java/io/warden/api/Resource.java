package io.warden.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/** A declarative resource as it travels on the wire, in files and in the CLI. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resource(String apiVersion, String kind, ObjectMeta metadata, JsonNode spec, JsonNode status) {
}
