package io.warden.server.identity;

import io.warden.core.crypto.PasswordHasher;
import io.warden.core.passwords.PasswordPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IdentityConfiguration {

    @Bean
    PasswordHasher passwordHasher() {
        return PasswordHasher.defaults();
    }

    @Bean
    PasswordPolicy passwordPolicy() {
        return PasswordPolicy.standard();
    }
}
