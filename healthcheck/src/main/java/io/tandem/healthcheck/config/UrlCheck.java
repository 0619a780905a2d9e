package io.tandem.healthcheck.config;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code url} block of HTTP_GET/SSL_GET; every url of a checker must pass.
 *
 * @param path         {@code path}, starting with '/'
 * @param digest       {@code digest}: MD5 of the body in lower-case hex (as genhash prints it), or null
 * @param statusCodes  {@code status_code}
 * @param virtualhost  {@code virtualhost} for this url (Host header), or null for the checker's
 * @param regex        {@code regex} the body must match, or null
 * @param regexNoMatch {@code regex_no_match}: the check fails when {@code regex} matches
 */
public record UrlCheck(String path, String digest, StatusCodes statusCodes, String virtualhost, String regex,
        boolean regexNoMatch) {

    public UrlCheck {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(statusCodes, "statusCodes");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("invalid path: \"" + path + "\" (expected: /... without spaces)");
        }
        if (digest != null) {
            if (digest.length() != 32 || !digest.chars().allMatch(HexFormat::isHexDigit)) {
                throw new IllegalArgumentException("invalid digest: " + digest + " (expected: 32 hex digits, MD5)");
            }
            digest = digest.toLowerCase(java.util.Locale.ROOT);
        }
        if (regex != null) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regex: " + regex + " (" + e.getDescription() + ")", e);
            }
        } else if (regexNoMatch) {
            throw new IllegalArgumentException("regex_no_match without regex (expected: a regex to invert)");
        }
    }

    public static UrlCheck path(String path) {
        return new UrlCheck(path, null, StatusCodes.DEFAULT, null, null, false);
    }

    public UrlCheck withDigest(String md5Hex) {
        return new UrlCheck(path, md5Hex, statusCodes, virtualhost, regex, regexNoMatch);
    }

    public UrlCheck withStatusCodes(StatusCodes codes) {
        return new UrlCheck(path, digest, codes, virtualhost, regex, regexNoMatch);
    }

    public UrlCheck withVirtualhost(String host) {
        return new UrlCheck(path, digest, statusCodes, host, regex, regexNoMatch);
    }

    public UrlCheck withRegex(String pattern, boolean noMatch) {
        return new UrlCheck(path, digest, statusCodes, virtualhost, pattern, noMatch);
    }

    /** True when the body must be read: a digest or a regex is set. */
    public boolean needsBody() {
        return digest != null || regex != null;
    }
}
