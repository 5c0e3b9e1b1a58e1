package io.warden.cli;

/** Values of {@code -o}; picocli accepts them in any case. */
enum OutputFormat {
    TABLE, YAML, JSON, NAME
}
