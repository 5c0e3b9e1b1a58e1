package io.warden.cli;

import picocli.CommandLine.IVersionProvider;

/** The CLI's own version: Implementation-Version of the shaded jar's manifest, or "dev" when run from classes. */
final class ClientVersion {

    private ClientVersion() {
    }

    static String get() {
        String version = WardenCli.class.getPackage().getImplementationVersion();
        return version == null || version.isBlank() ? "dev" : version;
    }

    /** For {@code warden --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"warden " + get()};
        }
    }
}
