package io.warden.server.web;

/** One access question: may {@code caller} perform {@code verb} on this target? */
public record AccessRequest(Caller caller, Verb verb, String resource, String namespace, String name) {
}
