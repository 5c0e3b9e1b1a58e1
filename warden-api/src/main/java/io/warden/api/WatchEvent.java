package io.warden.api;

/** One change seen by a watch; {@code object} is the resource after the change (before, for deletes). */
public record WatchEvent(Type type, Resource object) {

    public enum Type { ADDED, MODIFIED, DELETED }
}
