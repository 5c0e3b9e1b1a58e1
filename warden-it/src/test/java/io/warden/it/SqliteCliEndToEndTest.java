package io.warden.it;

import io.warden.server.testing.TestDatabase;

class SqliteCliEndToEndTest extends CliEndToEndContract {

    private final TestDatabase db = TestDatabase.sqlite();

    @Override
    TestDatabase database() {
        return db;
    }
}
