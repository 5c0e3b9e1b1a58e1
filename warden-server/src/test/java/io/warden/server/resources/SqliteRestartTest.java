package io.warden.server.resources;

import io.warden.server.testing.TestDatabase;

class SqliteRestartTest extends RestartContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
