package io.warden.server.tasks;

import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;

@EnabledIfPostgres
class PostgresTaskQueueTest extends TaskQueueContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
