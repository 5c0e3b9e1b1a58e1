package io.warden.server.resources;

import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;

@EnabledIfPostgres
class PostgresResourceCacheTest extends ResourceCacheContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
