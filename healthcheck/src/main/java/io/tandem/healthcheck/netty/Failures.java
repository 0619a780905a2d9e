package io.tandem.healthcheck.netty;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.TooLongFrameException;
import io.tandem.healthcheck.CheckResult;
import io.tandem.healthcheck.FailureReason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import javax.net.ssl.SSLException;

/** Turns a socket or codec exception into a {@link CheckResult}. */
public final class Failures {
    private Failures() {
    }

    public static CheckResult of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            FailureReason reason = reasonOf(t);
            if (reason != null) {
                return CheckResult.failed(reason, describe(error));
            }
        }
        return CheckResult.failed(FailureReason.CONNECT_ERROR, describe(error));
    }

    private static FailureReason reasonOf(Throwable t) {
        if (t instanceof ConnectTimeoutException) {
            return FailureReason.TIMEOUT;
        }
        if (t instanceof SSLException) {
            return FailureReason.TLS_ERROR;
        }
        if (t instanceof TooLongFrameException) {
            return FailureReason.TOO_LARGE;
        }
        if (t instanceof PortUnreachableException || t instanceof NoRouteToHostException) {
            return FailureReason.UNREACHABLE;
        }
        String message = String.valueOf(t.getMessage());
        if (t instanceof ConnectException && message.contains("refused")) {
            return FailureReason.REFUSED;
        }
        if (message.contains("Connection refused")) {
            return FailureReason.REFUSED;
        }
        return null;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
