package io.warden.server.web;

import io.warden.server.WardenProperties;
import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;

/** The one JSON mapper configuration: Spring's JsonMapper, with Warden's input limits. */
@Configuration(proxyBeanMethods = false)
class JsonConfiguration {

    @Bean
    JsonFactoryBuilderCustomizer wardenJsonLimits(WardenProperties props) {
        WardenProperties.Limits limits = props.limits();
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxJsonDepth())
                .maxStringLength(limits.maxStringLength())
                .maxNameLength(1024)
                .build();
        return builder -> builder.streamReadConstraints(constraints);
    }

    /** Duplicate keys are refused: two parsers reading one body differently is how checks get bypassed. */
    @Bean
    JsonMapperBuilderCustomizer wardenJsonStrictness() {
        return builder -> builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
