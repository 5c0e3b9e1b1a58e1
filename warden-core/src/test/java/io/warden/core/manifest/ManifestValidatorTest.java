package io.warden.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.api.FieldError;
import io.warden.api.Kinds;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ManifestValidatorTest {

    private static final ManifestValidator VALIDATOR = ManifestValidator.load();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode json(String s) {
        return JSON.readTree(s.replace('\'', '"'));
    }

    private static List<String> paths(List<FieldError> errors) {
        return errors.stream().map(FieldError::path).toList();
    }

    private static final String TOOL = """
            {'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'git-clone','namespace':'demo',
             'labels':{'team':'core'}},
             'spec':{'type':'exec','exec':{'command':['git','clone','{{args.url}}']},
                     'inputSchema':{'type':'object','properties':{'url':{'type':'string'}}}}}""";

    @Test
    void aValidToolPasses() {
        assertThat(VALIDATOR.validate(Kinds.TOOL, json(TOOL))).isEmpty();
    }

    @Test
    void unknownFieldIsNamedWithItsPath() {
        var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("'type':'exec',", "'type':'exec','shell':true,")));
        assertThat(errors).containsExactly(new FieldError("spec.shell", "is not a known field"));
    }

    @Test
    void unknownFieldInMetadataIsRefused() {
        var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("'name':'git-clone',", "'name':'git-clone','owner':'x',")));
        assertThat(paths(errors)).containsExactly("metadata.owner");
    }

    @Test
    void wrongTypeIsNamedWithItsPath() {
        var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("'type':'exec',", "'type':'exec','timeoutSeconds':'soon',")));
        assertThat(paths(errors)).containsExactly("spec.timeoutSeconds");
        assertThat(errors.getFirst().message()).contains("integer");
    }

    @Test
    void wrongTypeInsideAnArrayNamesTheIndex() {
        var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("['git','clone','{{args.url}}']", "['git',7]")));
        assertThat(paths(errors)).containsExactly("spec.exec.command[1]");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("'exec':{'command':['git','clone','{{args.url}}']},", "")));
        assertThat(paths(errors)).contains("spec.exec");
        var noName = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("'name':'git-clone',", "")));
        assertThat(noName).contains(new FieldError("metadata.name", "is required"));
    }

    @Test
    void namesMustBeDns1123Labels() {
        for (String bad : List.of("Git_Clone", "-x", "x-", "a".repeat(64), "", "a.b", "ünï")) {
            var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("'name':'git-clone'", "'name':'" + bad + "'")));
            assertThat(paths(errors)).as(bad).isNotEmpty().allMatch("metadata.name"::equals);
        }
    }

    @Test
    void wrongApiVersionIsRefused() {
        var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("warden.dev/v1", "warden.dev/v2")));
        assertThat(paths(errors)).containsExactly("apiVersion");
    }

    @Test
    void badLabelValueIsRefused() {
        var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("'team':'core'", "'team':'has space'")));
        assertThat(paths(errors)).containsExactly("metadata.labels.team");
    }

    @Test
    void toolInputSchemaMustItselfBeAValidSchema() {
        var errors = VALIDATOR.validate(Kinds.TOOL, json(TOOL.replace("{'type':'string'}", "{'type':'strung'}")));
        assertThat(paths(errors)).anyMatch(p -> p.startsWith("spec.inputSchema.properties.url"));
    }

    @Test
    void aKindWithRequiredSpecFieldsNeedsASpec() {
        var policy = json("{'apiVersion':'warden.dev/v1','kind':'Policy','metadata':{'name':'p'}}");
        assertThat(VALIDATOR.validate(Kinds.POLICY, policy)).contains(new FieldError("spec.rules", "is required"));
        var ns = json("{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'demo'}}");
        assertThat(VALIDATOR.validate(Kinds.NAMESPACE, ns)).isEmpty();
    }

    @Test
    void everyKindHasASchemaThatRejectsUnknownSpecFields() {
        for (var kind : Kinds.all()) {
            var doc = json("{'apiVersion':'warden.dev/v1','kind':'" + kind.name() + "','metadata':{'name':'x'},'spec':{'bogusField':1}}");
            assertThat(paths(VALIDATOR.validate(kind, doc))).as(kind.name()).contains("spec.bogusField");
        }
    }
}
