package io.warden.server.web;

/**
 * Who is making a request. Until the identity issue adds authentication, every request comes
 * from the local operator, which is safe only because the server listens on loopback alone.
 */
public record Caller(String kind, String id) {

    public static final Caller LOCAL_OPERATOR = new Caller("local", "operator");
}
