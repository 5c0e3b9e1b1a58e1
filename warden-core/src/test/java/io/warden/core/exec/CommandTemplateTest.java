package io.warden.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CommandTemplateTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode args(String json) {
        return JSON.readTree(json);
    }

    @Test
    void fillsPlaceholdersInsideAndAcrossElements() throws Exception {
        assertThat(CommandTemplate.render(List.of("git", "clone", "--depth={{args.depth}}", "{{ args.url }}", "{{args.a}}{{args.b}}"),
                args("{\"depth\": 1, \"url\": \"https://x/y\", \"a\": true, \"b\": \"z\"}")))
                .containsExactly("git", "clone", "--depth=1", "https://x/y", "truez");
    }

    @Test
    void aValueStaysOneArgumentWhateverItHolds() throws Exception {
        String hostile = "x; rm -rf / $(id) `id` \"'\n--upload-pack=evil {{args.b}}";
        List<String> argv = CommandTemplate.render(List.of("echo", "{{args.a}}"),
                JSON.createObjectNode().put("a", hostile).put("b", "NOT-EXPANDED"));
        assertThat(argv).containsExactly("echo", hostile);
    }

    @Test
    void refusesMissingNullAndStructuredValues() {
        for (String json : new String[] {"{}", "{\"u\": null}", "{\"u\": {\"x\": 1}}", "{\"u\": [1]}"}) {
            assertThatThrownBy(() -> CommandTemplate.render(List.of("echo", "{{args.u}}"), args(json)))
                    .isInstanceOf(CommandTemplate.TemplateException.class)
                    .satisfies(e -> assertThat(((CommandTemplate.TemplateException) e).arg()).isEqualTo("u"));
        }
    }

    @Test
    void refusesWhatLooksLikeATemplateButIsNot() {
        for (String element : new String[] {"{{url}}", "{{args.}}", "{{ secrets.x }}", "{{args.a.b}}"}) {
            assertThatThrownBy(() -> CommandTemplate.render(List.of("echo", element), args("{\"url\": \"u\", \"a\": \"b\"}")))
                    .as(element).isInstanceOf(CommandTemplate.TemplateException.class).hasMessageContaining("placeholder");
        }
    }

    @Test
    void refusesAnEmptyProgram() {
        assertThatThrownBy(() -> CommandTemplate.render(List.of("{{args.p}}", "x"), args("{\"p\": \"\"}")))
                .hasMessageContaining("program");
        assertThatThrownBy(() -> CommandTemplate.render(List.of(), args("{}"))).hasMessageContaining("empty");
    }
}
