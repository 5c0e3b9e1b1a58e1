package io.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class FormattingTest {

    @Test
    void agesAreCoarseAndHuman() {
        assertThat(Age.format(Duration.ofSeconds(-3))).isEqualTo("0s");
        assertThat(Age.format(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(Age.format(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(Age.format(Duration.ofMinutes(3).plusSeconds(59))).isEqualTo("3m");
        assertThat(Age.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Age.format(Duration.ofDays(4).plusHours(23))).isEqualTo("4d");
        assertThat(Age.format(Duration.ofDays(800))).isEqualTo("2y");
    }

    @Test
    void tablesAlignColumnsWithoutTrailingBlanks() {
        assertThat(Table.render(List.of("NAME", "TYPE", "AGE"), List.of(
                List.of("a-long-name", "exec", "5s"),
                List.of("b", "", "")))).containsExactly(
                "NAME          TYPE   AGE",
                "a-long-name   exec   5s",
                "b");
    }

    @Test
    void yamlOutputReadsBackAsTheSameTree() {
        ObjectNode node = Json.JSON.createObjectNode();
        String[] tricky = {"7", "010", "1e3", "-1", "1.5", ".inf", "true", "yes", "no", "on", "null", "~", "", " lead",
            "a: b", "#x", "- x", "[x]", "{x}", "*ref", "&a", "!tag", "x #y", "2025-06-01", "multi\nline", "tab\there", "ü"};
        for (int i = 0; i < tricky.length; i++) {
            node.put("k" + i, tricky[i]);
        }
        node.put("number", 7);
        node.put("flag", true);
        node.putArray("list").add("42").add(42);

        assertThat(Json.YAML.readTree(Json.yaml(node))).isEqualTo(node);
        assertThat(Json.yaml(node)).contains("k0: \"7\"\n").contains("number: 7\n");
    }

    @Test
    void cellsDropControlCharacters() {
        assertThat(Text.cell("evil\u001b[2Jname\nnext")).isEqualTo("evil[2Jname next");
    }

    @Test
    void pathSegmentsAreEncoded() {
        assertThat(ResourceRef.segment("git-clone")).isEqualTo("git-clone");
        assertThat(ResourceRef.segment("a/b c..ü")).isEqualTo("a%2Fb%20c%2E%2E%C3%BC");
    }

    @Test
    void watchBackoffDoublesUpToTheCap() {
        WatchPolicy policy = new WatchPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(60));
        assertThat(policy.backoff(0)).isZero();
        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(30)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void watchRetriesThatCouldNeverWorkAreRefused() {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        WardenCli cli = new WardenCli(Map.of(), Path.of("."), InputStream.nullInputStream(), nowhere, nowhere);

        assertThatThrownBy(() -> cli.withWatchRetries(0, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempts");
        assertThatThrownBy(() -> cli.withWatchRetries(5, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff");
        assertThatThrownBy(() -> cli.withWatchRetries(5, Duration.ofMillis(-1), Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backoff");
        assertThatThrownBy(() -> cli.withWatchRetries(5, Duration.ZERO, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idleTimeout");
        assertThat(cli.withWatchRetries(1, Duration.ZERO, Duration.ZERO, Duration.ofMillis(1))).isNotNull();
    }
}
