package io.warden.server.web;

/**
 * One access question: may the caller of {@code context} perform {@code verb} on
 * {@code resource} (a plural such as {@code tools}, or {@code users}, {@code tokens}) in
 * {@code namespace} (null: cluster)?
 */
public record AccessRequest(RequestContext context, Verb verb, String resource, String namespace, String name) {

    public Caller caller() {
        return context.caller();
    }
}
