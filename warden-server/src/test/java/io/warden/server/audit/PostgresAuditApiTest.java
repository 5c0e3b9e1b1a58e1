package io.warden.server.audit;

import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;

@EnabledIfPostgres
class PostgresAuditApiTest extends AuditApiContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
