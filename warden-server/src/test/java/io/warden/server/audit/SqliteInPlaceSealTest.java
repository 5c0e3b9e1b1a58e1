package io.warden.server.audit;

import io.warden.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

class SqliteInPlaceSealTest extends InPlaceSealContract {

    @Override
    TestDatabase database() {
        return TestDatabase.sqlite();
    }

    @Override
    long stagingIds() throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'audit_pending'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
