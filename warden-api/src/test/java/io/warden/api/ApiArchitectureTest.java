package io.warden.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiArchitectureTest {

    private static final JavaClasses API = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.warden.api");

    @Test
    void theApiDependsOnJacksonOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("io.warden.api..", "java..",
                "tools.jackson..", "com.fasterxml.jackson.annotation..").check(API);
    }

    @Test
    void everyKindHasASchemaAndUniqueNames() {
        Set<String> words = new HashSet<>();
        for (Kind kind : Kinds.all()) {
            assertThat(getClass().getResource(kind.specSchemaResource())).as(kind.name()).isNotNull();
            assertThat(Kinds.byPlural(kind.plural())).contains(kind);
            assertThat(Kinds.lookup(kind.name().toUpperCase())).contains(kind);
            assertThat(words.add(kind.plural())).as("plural " + kind.plural()).isTrue();
            for (String s : kind.shortNames()) {
                assertThat(words.add(s)).as("short name " + s).isTrue();
                assertThat(Kinds.lookup(s)).contains(kind);
            }
        }
    }

    @Test
    void dns1123Labels() {
        assertThat(Names.isDns1123Label("git-clone")).isTrue();
        assertThat(Names.isDns1123Label("a")).isTrue();
        assertThat(Names.isDns1123Label("a".repeat(63))).isTrue();
        for (String bad : new String[] {null, "", "-a", "a-", "A", "a_b", "a.b", "a".repeat(64), "a/b"}) {
            assertThat(Names.isDns1123Label(bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
