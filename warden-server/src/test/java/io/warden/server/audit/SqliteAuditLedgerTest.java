package io.warden.server.audit;

import io.warden.server.testing.TestDatabase;

class SqliteAuditLedgerTest extends AuditLedgerContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
