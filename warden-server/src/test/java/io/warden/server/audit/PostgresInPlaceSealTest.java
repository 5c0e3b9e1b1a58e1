package io.warden.server.audit;

import static io.warden.server.audit.AuditLedgerContract.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.warden.core.audit.AuditRecord;
import io.warden.core.audit.ChainVerifier;
import io.warden.server.testing.EnabledIfPostgres;
import io.warden.server.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On PostgreSQL other transactions (other replicas, the appender) can hold a chain's head: the change then stages. */
@EnabledIfPostgres
class PostgresInPlaceSealTest extends InPlaceSealContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }

    @Test
    void whileAnotherTransactionHoldsTheChainTheEventIsStagedAndSealedAfterIt() throws Exception {
        startChain("held");
        CompletableFuture<AuditRecord> later;
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                // As another replica sealing this chain does.
                s.executeQuery("SELECT last_seq FROM audit_chains WHERE chain = 'held' FOR UPDATE").close();
            }
            later = tx.execute(s -> audit.record(event("held", 1)));
            assertThat(staged("held")).as("staged, not waited for").isEqualTo(1);
            assertThat(later).as("the appender waits for the head").isNotDone();
            holder.commit();
        }
        assertThat(later.get(10, TimeUnit.SECONDS).seq()).isEqualTo(2);
        assertThat(staged("held")).isZero();
        assertThat(server.bean(AuditVerification.class).verify("held", n -> { })).isInstanceOf(ChainVerifier.Ok.class);
    }
}
