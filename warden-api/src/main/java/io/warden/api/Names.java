package io.warden.api;

import java.util.regex.Pattern;

/** Naming rules shared by server and clients. */
public final class Names {

    /** RFC 1123 label, as Kubernetes uses for names: lower case alphanumerics and '-', at most 63. */
    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private Names() {
    }

    public static boolean isDns1123Label(String s) {
        return s != null && DNS_1123_LABEL.matcher(s).matches();
    }
}
