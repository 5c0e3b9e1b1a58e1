package io.warden.server.audit;

import io.warden.server.testing.TestDatabase;

class SqliteResourceAuditTest extends ResourceAuditContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
