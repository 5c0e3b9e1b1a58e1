package io.warden.core.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> LABELS = Map.of("team", "core", "tier", "gold", "app.io/part-of", "demo");

    private static boolean sel(String s) {
        return LabelSelector.parse(s).matches(LABELS);
    }

    @Test
    void equality() {
        assertThat(sel("team=core")).isTrue();
        assertThat(sel("team==core")).isTrue();
        assertThat(sel("team=edge")).isFalse();
        assertThat(sel("team!=edge")).isTrue();
        assertThat(sel("missing!=x")).isTrue();
        assertThat(sel("app.io/part-of=demo")).isTrue();
    }

    @Test
    void existence() {
        assertThat(sel("team")).isTrue();
        assertThat(sel("!team")).isFalse();
        assertThat(sel("!missing")).isTrue();
        assertThat(sel("missing")).isFalse();
    }

    @Test
    void sets() {
        assertThat(sel("tier in (gold, silver)")).isTrue();
        assertThat(sel("tier in (silver)")).isFalse();
        assertThat(sel("tier notin (silver)")).isTrue();
        assertThat(sel("missing notin (silver)")).isTrue();
        assertThat(sel("missing in (silver)")).isFalse();
    }

    @Test
    void allTermsMustHold() {
        assertThat(sel("team=core,tier in (gold,silver),!missing")).isTrue();
        assertThat(sel("team=core,tier=silver")).isFalse();
    }

    @Test
    void blankSelectsEverything() {
        assertThat(LabelSelector.parse("").matches(Map.of())).isTrue();
        assertThat(LabelSelector.parse(null).selectsEverything()).isTrue();
    }

    @Test
    void malformedSelectorsAreRefusedWithTheTerm() {
        assertThatThrownBy(() -> LabelSelector.parse("team=core,=x")).hasMessageContaining("'=x'");
        assertThatThrownBy(() -> LabelSelector.parse("tier in (gold")).hasMessageContaining("parentheses");
        assertThatThrownBy(() -> LabelSelector.parse("tier in ()")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabelSelector.parse("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LabelSelector.parse("x".repeat(5000))).isInstanceOf(IllegalArgumentException.class);
    }
}
