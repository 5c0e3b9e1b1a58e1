package io.warden.server.web;

import io.warden.server.WardenProperties;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> wardenTomcat(WardenProperties props) {
        return factory -> {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
            WardenProperties.Tls tls = props.tls();
            if (tls.enabled()) {
                if (tls.key() == null || tls.key().isBlank()) {
                    throw new IllegalStateException("--tls-cert needs --tls-key (the PEM private key)");
                }
                Ssl ssl = new Ssl();
                ssl.setEnabled(true);
                ssl.setCertificate("file:" + tls.cert());
                ssl.setCertificatePrivateKey("file:" + tls.key());
                ssl.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                factory.setSsl(ssl);
            }
        };
    }
}
