package io.tandem.core.linux;

import java.io.IOException;

/**
 * A failed Linux call. The message names the call, its arguments and the
 * errno, for example {@code setsockopt(IP_ADD_MEMBERSHIP, 224.0.0.18, if=e0): ENODEV}.
 */
public class LinuxException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public LinuxException(String call, int errno) {
        super(call + ": " + Errno.name(errno));
        this.call = call;
        this.errno = Math.abs(errno);
    }

    /** The call and its arguments, as in the message. */
    public String call() {
        return call;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, {@code ENODEV}. */
    public String errnoName() {
        return Errno.name(errno);
    }
}
