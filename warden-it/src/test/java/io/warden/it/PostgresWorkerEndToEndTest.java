package io.warden.it;

import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;

@EnabledIfPostgres
class PostgresWorkerEndToEndTest extends WorkerEndToEndContract {

    private TestDatabase db;

    @Override
    TestDatabase database() {
        if (db == null) {
            db = TestDatabase.postgres();
        }
        return db;
    }
}
