package io.warden.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md: the worker opens no inbound port and links no database driver. Maven Enforcer
 * bans the drivers from the dependency graph; this checks the worker's own code.
 */
class WorkerArchitectureTest {

    private static final JavaClasses WORKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.warden.worker");

    @Test
    void theWorkerNeverListens() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.net.ServerSocket")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.channels.ServerSocketChannel")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.nio.channels.AsynchronousServerSocketChannel")
                .orShould().dependOnClassesThat().resideInAPackage("com.sun.net.httpserver..")
                .allowEmptyShould(true)
                .check(WORKER);
    }

    @Test
    void theWorkerNeverTouchesADatabaseOrTheServer() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..",
                        "org.springframework.jdbc..", "org.flywaydb..", "io.warden.server..")
                .check(WORKER);
    }

    @Test
    void noDriverIsOnTheWorkersClasspath() {
        for (String driver : new String[] {"org.sqlite.JDBC", "org.postgresql.Driver", "org.flywaydb.core.Flyway"}) {
            assertThat(getClass().getClassLoader().getResource(driver.replace('.', '/') + ".class")).as(driver).isNull();
        }
    }

    @Test
    void usageErrorsAreExitTwoAndHelpIsZero() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(WorkerMain.run(new String[] {"--server", "http://127.0.0.1:1"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--credential-file");
        assertThat(WorkerMain.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--ca-file", "--insecure-transport", "--concurrency");
        for (String line : out.toString(StandardCharsets.UTF_8).split("\\R")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(80);
        }
    }
}
