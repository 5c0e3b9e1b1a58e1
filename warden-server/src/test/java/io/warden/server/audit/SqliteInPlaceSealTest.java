package io.warden.server.audit;

import io.warden.server.testing.TestDatabase;

class SqliteInPlaceSealTest extends InPlaceSealContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
