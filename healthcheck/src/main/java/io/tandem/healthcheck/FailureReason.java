package io.tandem.healthcheck;

import java.util.Locale;

/** Why a check attempt failed; {@link #label()} is the metric tag value. */
public enum FailureReason {
    /** The check passed. */
    NONE,
    /** No answer, or not the whole answer, before {@code connect_timeout} (or {@code misc_timeout}). */
    TIMEOUT,
    /** The peer refused the connection (TCP RST). */
    REFUSED,
    /** An ICMP destination unreachable came back (UDP, DNS, PING). */
    UNREACHABLE,
    /** Any other socket error (no route, bind failure, reset during the exchange). */
    CONNECT_ERROR,
    /** The TLS handshake failed or the TLS stream was invalid. */
    TLS_ERROR,
    /** The HTTP status code is not in {@code status_code}. */
    BAD_STATUS,
    /** The MD5 of the HTTP body differs from {@code digest}. */
    BAD_DIGEST,
    /** {@code regex} did not match, or {@code regex_no_match} matched. */
    REGEX_MISMATCH,
    /** The response broke the protocol (garbage, bad status line, unexpected code). */
    PROTOCOL_ERROR,
    /** A header or body was over the configured limit. */
    TOO_LARGE,
    /** The reply did not match what was required (UDP {@code require_reply}, DNS answer). */
    BAD_REPLY,
    /** The MISC_CHECK command exited with a failing status. */
    EXIT_STATUS,
    /** The MISC_CHECK command could not be started. */
    EXEC_ERROR,
    /** The checker itself failed unexpectedly; a bug, reported rather than lost. */
    INTERNAL_ERROR;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
        return label;
    }
}
