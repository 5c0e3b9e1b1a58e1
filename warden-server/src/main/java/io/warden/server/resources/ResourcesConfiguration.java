package io.warden.server.resources;

import io.warden.core.manifest.ManifestValidator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ResourcesConfiguration {

    @Bean
    ManifestValidator manifestValidator() {
        return ManifestValidator.load();
    }
}
