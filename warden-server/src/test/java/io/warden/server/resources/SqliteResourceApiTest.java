package io.warden.server.resources;

import io.warden.server.testing.TestDatabase;

class SqliteResourceApiTest extends ResourceApiContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
