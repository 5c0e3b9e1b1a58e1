package io.warden.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A task's args against its Tool's inputSchema: violations named by path, nothing fetched. */
class ArgsValidationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ManifestValidator VALIDATOR = ManifestValidator.load();

    private static JsonNode json(String singleQuoted) {
        return JSON.readTree(singleQuoted.replace('\'', '"'));
    }

    private static final JsonNode SCHEMA = json("{'type':'object','properties':{'url':{'type':'string','pattern':'^https://'},"
            + "'depth':{'type':'integer','minimum':1}},'required':['url'],'additionalProperties':false}");

    @Test
    void validArgsPass() {
        assertThat(VALIDATOR.validateArgs(SCHEMA, json("{'url':'https://example.com','depth':2}"))).isEmpty();
    }

    @Test
    void everyViolationIsNamedByItsPath() {
        List<FieldError> errors = VALIDATOR.validateArgs(SCHEMA, json("{'url':'http://x','depth':0,'extra':1}"));

        assertThat(errors).extracting(FieldError::path).containsExactly("args.depth", "args.extra", "args.url");
        assertThat(VALIDATOR.validateArgs(SCHEMA, json("{}"))).extracting(FieldError::path).containsExactly("args.url");
    }

    @Test
    void aRemoteReferenceIsNeverFetched() {
        // An attacker who may write Tools must not make the server fetch URLs (SSRF): the
        // reference stays unresolved and the args are refused.
        JsonNode remote = json("{'$ref':'http://169.254.169.254/latest/meta-data/'}");

        List<FieldError> errors = VALIDATOR.validateArgs(remote, json("{'url':'https://example.com'}"));

        assertThat(errors).isNotEmpty();
        assertThat(errors.getFirst().path()).startsWith("args");
    }
}
