package io.warden.server.resources;

import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;

@EnabledIfPostgres
class PostgresResourceApiTest extends ResourceApiContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
