package io.tandem.core.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: the sample configurations under src/test/resources and files written into a temp dir. */
public final class ConfigFiles {
    private ConfigFiles() {
    }

    /** A resource of this package, e.g. {@code "lvs.conf"} or {@code "advanced/main.conf"}. */
    public static Path resource(String name) {
        try {
            return Path.of(ConfigFiles.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(name, e);
        }
    }

    public static Path write(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code content} written to {@code dir/keepalived.conf} with config id "test". */
    public static ConfigLoader.Result load(Path dir, String content) {
        return ConfigLoader.load(write(dir, "keepalived.conf", content), "test");
    }
}
