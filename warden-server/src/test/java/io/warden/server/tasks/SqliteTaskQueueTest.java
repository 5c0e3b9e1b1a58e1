package io.warden.server.tasks;

import io.warden.server.testing.TestDatabase;

class SqliteTaskQueueTest extends TaskQueueContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }
}
