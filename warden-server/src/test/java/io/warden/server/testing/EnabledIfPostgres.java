package io.warden.server.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only when PostgreSQL is configured ({@code WARDEN_TEST_POSTGRES_URL}); says
 * so on stderr when it skips. With {@code WARDEN_TEST_REQUIRE_POSTGRES=1} (CI) it never skips,
 * so a missing database fails the build instead of passing it quietly.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(EnabledIfPostgres.Condition.class)
public @interface EnabledIfPostgres {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String url = System.getenv(TestDatabase.POSTGRES_URL_ENV);
            if (url != null && !url.isBlank()) {
                return ConditionEvaluationResult.enabled("PostgreSQL configured");
            }
            if ("1".equals(System.getenv("WARDEN_TEST_REQUIRE_POSTGRES"))) {
                return ConditionEvaluationResult.enabled("PostgreSQL required (WARDEN_TEST_REQUIRE_POSTGRES=1)");
            }
            String why = "PostgreSQL tests SKIPPED: set " + TestDatabase.POSTGRES_URL_ENV
                    + "=jdbc:postgresql://host:5432/db?user=u&password=p to run them (.ci/run does)";
            System.err.println("WARNING: " + why);
            return ConditionEvaluationResult.disabled(why);
        }
    }
}
