package io.warden.server.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.warden.server.WardenProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(WardenProperties props, Database database, DataDirectory dataDir) {
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("warden-" + database.id());
        database.configure(pool, props, dataDir);
        return new HikariDataSource(pool);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

}
