package io.tandem.core.config.model;

import java.nio.file.Path;
import java.util.Optional;

/** The top-level {@code SSL} block used by SSL_GET: key password, CA, certificate and key files. */
public record SslContextConfig(Optional<String> password, Optional<Path> ca, Optional<Path> certificate,
                               Optional<Path> key) {
}
