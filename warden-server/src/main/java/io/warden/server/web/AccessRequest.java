package io.warden.server.web;

/**
 * One access question: may {@code caller} perform {@code verb} on {@code resource} (a plural
 * such as {@code tools}, or {@code users}, {@code tokens}) in {@code namespace} (null: cluster)?
 */
public record AccessRequest(Caller caller, Verb verb, String resource, String namespace, String name) {
}
