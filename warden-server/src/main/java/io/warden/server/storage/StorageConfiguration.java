package io.warden.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.warden.server.WardenProperties;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/** The data directory, the connection pool and the clock every feature shares. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    DataDirectory dataDirectory(WardenProperties props) {
        if (props.dataDir() == null) {
            throw new IllegalStateException("no data directory: set --data-dir or WARDEN_HOME");
        }
        return DataDirectory.open(props.dataDir());
    }

    @Bean
    Database database(WardenProperties props) {
        return Database.of(props.db());
    }

    /** The connection pool; on SQLite with compiled statements kept per connection ({@link SqliteStatementCache}). */
    @Bean(destroyMethod = "close")
    DataSource dataSource(WardenProperties props, Database database, DataDirectory dataDir) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("warden-" + database.id());
        database.configure(pool, props, dataDir);
        HikariDataSource hikari = new HikariDataSource(pool);
        return database == Database.SQLITE ? Database.withStatementCache(hikari) : hikari;
    }

    /**
     * Spring Boot's transaction manager, except on SQLite, where transactions queue in this
     * process instead of in SQLite's sleeping busy handler ({@link SqliteTransactionManager}).
     */
    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource, Database database) {
        return database == Database.SQLITE ? new SqliteTransactionManager(dataSource) : new JdbcTransactionManager(dataSource);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

}
