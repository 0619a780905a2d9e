package io.tandem.healthcheck.config;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
 * @param regexFlags   {@link Pattern} flags from {@code regex_options} ({@link #regexFlags(List)}); 0 as PCRE2's
 *                     defaults (a dot does not match a line end, ^ and $ anchor at the body's ends)
 */
public record UrlCheck(String path, String digest, StatusCodes statusCodes, String virtualhost, String regex,
        boolean regexNoMatch, int regexFlags) {

    /** The {@code regex_options} (PCRE2 option names) that have a {@link Pattern} equivalent. */
    private static final Map<String, Integer> REGEX_OPTIONS = Map.of(
            "caseless", Pattern.CASE_INSENSITIVE,
            "multiline", Pattern.MULTILINE,
            "dotall", Pattern.DOTALL,
            "extended", Pattern.COMMENTS);

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
                Pattern.compile(regex, regexFlags);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regex: " + regex + " (" + e.getDescription() + ")", e);
            }
        } else if (regexNoMatch) {
            throw new IllegalArgumentException("regex_no_match without regex (expected: a regex to invert)");
        }
    }

    public static UrlCheck path(String path) {
        return new UrlCheck(path, null, StatusCodes.DEFAULT, null, null, false, 0);
    }

    public UrlCheck withDigest(String md5Hex) {
        return new UrlCheck(path, md5Hex, statusCodes, virtualhost, regex, regexNoMatch, regexFlags);
    }

    public UrlCheck withStatusCodes(StatusCodes codes) {
        return new UrlCheck(path, digest, codes, virtualhost, regex, regexNoMatch, regexFlags);
    }

    public UrlCheck withVirtualhost(String host) {
        return new UrlCheck(path, digest, statusCodes, host, regex, regexNoMatch, regexFlags);
    }

    public UrlCheck withRegex(String pattern, boolean noMatch) {
        return new UrlCheck(path, digest, statusCodes, virtualhost, pattern, noMatch, regexFlags);
    }

    public UrlCheck withRegexFlags(int flags) {
        return new UrlCheck(path, digest, statusCodes, virtualhost, regex, regexNoMatch, flags);
    }

    /** The compiled {@code regex}, or null. */
    public Pattern compiledRegex() {
        return regex == null ? null : Pattern.compile(regex, regexFlags);
    }

    /**
     * keepalived's {@code regex_options} (PCRE2 option names) as {@link Pattern} flags: caseless, multiline,
     * dotall, extended. The other PCRE2 options have no exact equivalent and are refused.
     */
    public static int regexFlags(List<String> options) {
        int flags = 0;
        for (String o : options) {
            Integer f = REGEX_OPTIONS.get(o);
            if (f == null) {
                throw new IllegalArgumentException("unsupported regex_options " + o + " (expected: one of "
                        + REGEX_OPTIONS.keySet().stream().sorted().toList() + ")");
            }
            flags |= f;
        }
        return flags;
    }

    /** True when the body must be read: a digest or a regex is set. */
    public boolean needsBody() {
        return digest != null || regex != null;
    }
}
