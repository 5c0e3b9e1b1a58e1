package io.warden.server.audit;

import io.warden.server.testing.TestDatabase;

class SqliteAuditApiTest extends AuditApiContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
