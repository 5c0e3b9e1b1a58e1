package io.warden.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.warden.server.testing.TestDatabase;
import io.warden.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Deny by default at the edge: every route declares its verb, and one that does not is refused. */
class RouteAccessTest {

    @Test
    void everyRegisteredRouteDeclaresAVerb() {
        try (TestServer server = TestServer.start(TestDatabase.sqlite())) {
            Map<RequestMappingInfo, HandlerMethod> routes = server.bean(RequestMappingHandlerMapping.class).getHandlerMethods();
            assertThat(routes).isNotEmpty();
            assertThat(routes.entrySet())
                    .allSatisfy(e -> assertThat(e.getValue().getMethodAnnotation(Requires.class))
                            .as("@Requires on %s (%s)", e.getKey(), e.getValue()).isNotNull());
        }
    }

    @RestController
    static class UndeclaredController {
        @GetMapping("/v1/undeclared")
        String undeclared() {
            return "this must never be served";
        }
    }

    @Test
    void aRouteWithoutADeclaredVerbIsRefused() {
        try (TestServer server = TestServer.start(TestDatabase.sqlite(), List.of(UndeclaredController.class))) {
            var r = server.api().get("/v1/undeclared");
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.body()).doesNotContain("never be served");
            assertThat(r.json().path("type").asString()).endsWith("/forbidden");
        }
    }
}
