package io.tandem.core.config.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@code url} of HTTP_GET/SSL_GET: the path, an MD5 digest of the body (genhash), the accepted
 * status codes (default 200-299), the Host header, and an optional regex the body must (or, with
 * {@code regexNoMatch}, must not) match.
 */
public record UrlCheck(String path, Optional<String> digest, List<StatusRange> statusCodes,
                       Optional<String> virtualhost, Optional<String> regex, boolean regexNoMatch,
                       List<String> regexOptions, OptionalInt regexMinOffset, OptionalInt regexMaxOffset) {
    public static final List<StatusRange> DEFAULT_STATUS = List.of(new StatusRange(200, 299));

    public UrlCheck {
        statusCodes = List.copyOf(statusCodes);
        regexOptions = List.copyOf(regexOptions);
    }

    /** An inclusive range of HTTP status codes. */
    public record StatusRange(int from, int to) {
        public StatusRange {
            if (from < 100 || to > 999 || from > to) {
                throw new IllegalArgumentException("invalid status code range: " + from + "-" + to
                        + " (expected: 100 ~ 999, low to high)");
            }
        }

        public boolean contains(int status) {
            return status >= from && status <= to;
        }
    }
}
