package io.tandem.core.config.model;

/** The {@code authentication} block (RFC 3768 5.3.6; removed in RFC 5798): type and password (at most 8 bytes used). */
public record Authentication(AuthType type, String password) {
    public enum AuthType { PASS, AH }
}
