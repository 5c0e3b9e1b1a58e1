package io.warden.api;

import java.util.Locale;

/**
 * What a {@code PUT} of a manifest did, reported in the {@code Warden-Apply-Result} response
 * header so that clients can say created / configured / unchanged.
 */
public enum ApplyResult {
    CREATED, CONFIGURED, UNCHANGED;

    public static final String HEADER = "Warden-Apply-Result";

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
