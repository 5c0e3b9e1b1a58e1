package io.warden.it;

import io.warden.server.testing.TestDatabase;

class SqliteWorkerEndToEndTest extends WorkerEndToEndContract {

    private TestDatabase db;

    @Override
    TestDatabase database() {
        if (db == null) {
            db = TestDatabase.sqlite();
        }
        return db;
    }
}
