package io.warden.server.web;

import io.warden.server.WardenProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a request body into a JSON tree under the configured limits. Messages name the problem
 * and its position but never repeat the input, which may hold something secret.
 */
@Component
public final class JsonBodies {

    private final JsonMapper json;
    private final WardenProperties.Limits limits;

    JsonBodies(JsonMapper json, WardenProperties props) {
        this.json = json;
        this.limits = props.limits();
    }

    public JsonNode parse(byte[] body, String contentType) {
        requireJson(contentType);
        if (body == null || body.length == 0) {
            throw ApiProblem.badRequest("the request body is empty");
        }
        try {
            return json.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiProblem.badRequest("the JSON body exceeds a limit (nesting depth " + limits.maxJsonDepth()
                    + ", string length " + limits.maxStringLength() + ")");
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiProblem.badRequest("the body is not valid UTF-8 JSON" + where);
        }
    }

    private static void requireJson(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        boolean json = type != null && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || "json".equals(type.getSubtypeSuffix()));
        String charset = type == null || type.getCharset() == null ? "UTF-8" : type.getCharset().name();
        if (!json || !"UTF-8".equalsIgnoreCase(charset)) {
            throw new ApiProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "Unsupported media type", "send the body as application/json in UTF-8");
        }
    }
}
