package io.warden.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keeps the CLI runnable in-process: no global streams, exits or environment outside main. */
class ArchitectureTest {

    private static final Set<String> PROCESS_MEMBERS = Set.of("out", "err", "in", "exit", "getenv");

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.warden.cli");

    @Test
    void onlyMainTouchesTheProcess() {
        noClasses().should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .orShould().accessField(System.class, "in")
                .orShould().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .check(classes.that(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(WardenCli.class))));

        assertThat(classes.get(WardenCli.class).getAccessesFromSelf())
                .filteredOn(a -> a.getTargetOwner().isEquivalentTo(System.class) && PROCESS_MEMBERS.contains(a.getName()))
                .isNotEmpty()
                .allSatisfy((JavaAccess<?> a) -> assertThat(a.getOrigin().getName()).isEqualTo("main"));
    }

    @Test
    void noMutableStaticState() {
        fields().that().areStatic().should().beFinal().check(classes);
    }
}
