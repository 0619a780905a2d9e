package io.tandem.vrrp.track;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One {@code track_file} (keepalived.conf(5) "Track files"): the file holding an integer, read
 * whenever it changes. With {@code init_file}, {@code initValue} is written at startup when the
 * file does not exist, or always with {@code overwrite}.
 */
public record TrackFileConfig(String name, Path file, OptionalLong initValue, boolean initOverwrite) {
    public TrackFileConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(initValue, "initValue");
    }
}
