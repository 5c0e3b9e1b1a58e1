package io.warden.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** warden-core holds pure libraries: no server, no database, no web framework. */
class CoreArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.warden.core");

    @Test
    void coreDependsOnTheApiAndSmallLibrariesOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("io.warden.core..", "io.warden.api..",
                "java..", "javax.crypto..", "tools.jackson..", "com.fasterxml.jackson.annotation..", "com.networknt.schema..",
                "org.bouncycastle..")
                .check(CORE);
    }
}
