package io.warden.api;

/** One invalid field of a request: its path ({@code spec.exec.command[0]}) and what is wrong. */
public record FieldError(String path, String message) {
}
