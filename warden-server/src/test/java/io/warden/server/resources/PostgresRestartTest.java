package io.warden.server.resources;

import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;

@EnabledIfPostgres
class PostgresRestartTest extends RestartContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
