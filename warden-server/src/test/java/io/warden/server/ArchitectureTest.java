package io.warden.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The package rules of DESIGN.md for the server, checked on the compiled classes. */
class ArchitectureTest {

    private static final JavaClasses SERVER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.warden.server");

    @Test
    void theEdgeDoesNotReachIntoFeaturesOrStorage() {
        noClasses().that().resideInAPackage("io.warden.server.web..")
                .should().dependOnClassesThat().resideInAnyPackage("io.warden.server.resources..", "io.warden.server.storage..")
                .check(SERVER);
    }

    @Test
    void onlyStorageOwnersTouchSql() {
        noClasses().that().resideOutsideOfPackages("io.warden.server.resources..", "io.warden.server.identity..",
                        "io.warden.server.audit..", "io.warden.server.tasks..",
                        "io.warden.server.storage..",
                        "io.warden.server.system..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.jdbc..", "java.sql..")
                .check(SERVER);
    }

    @Test
    void featuresUseEachOtherOnlyThroughPublicFacades() {
        // Package-private internals already stop this at compile time; this catches a facade
        // that grows a public storage type by mistake.
        classes().that().resideInAPackage("io.warden.server.resources..").and().haveSimpleNameEndingWith("Store")
                .should().notBePublic().check(SERVER);
    }

    @Test
    void noFieldInjectionNoJavaUtilLogging() {
        NO_CLASSES_SHOULD_USE_FIELD_INJECTION.check(SERVER);
        NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(SERVER);
    }

    @Test
    void timeComesFromTheInjectedClock() {
        noClasses().should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(SERVER);
    }
}
