package io.warden.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;

/**
 * Reads and writes the CLI config file: {@code $WARDEN_CONFIG}, else {@code <home>/.warden/config.yaml}.
 *
 * <p>The file may hold bearer tokens, so it is a {@link PrivateFile} (0600, directory 0700, the
 * permissions given at creation time). Writes go to a temporary file in the same directory and
 * are renamed over the old file, so a crash or a full disk never leaves a half-written config.
 */
final class ConfigStore {

    static final String ENV_CONFIG = "WARDEN_CONFIG";

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path path;

    ConfigStore(Path path) {
        this.path = path;
    }

    static ConfigStore locate(Map<String, String> env, Path home) {
        String fromEnv = Text.nonBlank(env.get(ENV_CONFIG));
        return new ConfigStore(fromEnv != null ? Path.of(fromEnv) : home.resolve(".warden").resolve("config.yaml"));
    }

    Path path() {
        return path;
    }

    /** The config, or an empty one when the file does not exist yet. */
    CliConfig load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return CliConfig.empty();
        } catch (IOException e) {
            throw CliException.error("cannot read config file " + path + ": " + UnreachableException.reason(e), e);
        }
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return CliConfig.empty();
        }
        CliConfig config;
        try {
            config = Json.YAML.readValue(bytes, CliConfig.class);
        } catch (JacksonException e) {
            throw CliException.error("invalid config file " + path + ": " + Json.describe(e), e);
        }
        if (config == null) {
            return CliConfig.empty();
        }
        for (CliConfig.Context c : config.contexts()) {
            if (Text.isBlank(c.name())) {
                throw CliException.error("invalid config file " + path + ": every context needs a name");
            }
        }
        return config;
    }

    void save(CliConfig config) {
        byte[] bytes = Json.YAML.writeValueAsBytes(config);
        Path target = path.toAbsolutePath();
        try {
            if (Files.isSymbolicLink(target)) {
                // Keep a dotfiles-style symlink working: replace the file it points to, not the link.
                target = target.toRealPath();
            }
            Path dir = target.getParent();
            createDirectories(dir, PrivateFile.posix(dir));
            PrivateFile.replace(target, bytes);
        } catch (AccessDeniedException e) {
            throw CliException.error("cannot write config file " + path + ": permission denied", e);
        } catch (IOException e) {
            throw CliException.error("cannot write config file " + path + ": " + UnreachableException.reason(e), e);
        }
    }

    /**
     * A warning when the file holds tokens and other users may read it (it was created by hand or
     * by another tool). The CLI does not chmod files it did not create.
     */
    Optional<String> permissionWarning(CliConfig config) {
        if (!config.hasTokens() || !Files.exists(path)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
            boolean shared = perms.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
            return shared
                    ? Optional.of("warning: " + path + " holds tokens and is readable by other users; run: chmod 600 " + path)
                    : Optional.empty();
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
    }

    private static void createDirectories(Path dir, boolean posix) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR_MODE)}
                : new FileAttribute<?>[0];
        try {
            Files.createDirectories(dir, attrs);
        } catch (FileAlreadyExistsException e) {
            // Raced with another warden process creating it: fine.
        }
    }
}
