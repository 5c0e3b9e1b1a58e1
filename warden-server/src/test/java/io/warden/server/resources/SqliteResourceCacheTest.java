package io.warden.server.resources;

import io.warden.server.testing.TestDatabase;

class SqliteResourceCacheTest extends ResourceCacheContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
