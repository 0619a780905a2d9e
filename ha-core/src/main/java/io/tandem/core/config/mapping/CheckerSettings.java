package io.tandem.core.config.mapping;

import io.tandem.core.config.reader.Node;
import java.time.Duration;

/**
 * The settings that a virtual server passes to its real servers and a real server to its checkers
 * (keepalived.conf(5) "LVS CONFIGURATION": "the virtual server setting is the default for real
 * servers, and the real server setting is the default for checkers"). Null means "not set here".
 */
final class CheckerSettings {
    Boolean alpha;
    Duration connectTimeout;
    Integer retry;
    Duration delayBeforeRetry;
    Duration warmup;
    Duration delayLoop;
    Boolean inhibitOnFailure;
    String virtualhost;
    /** Tandem's extension: consecutive passed / failed checks that change a checker's state (keepalived: 1). */
    Integer rise;
    Integer fall;

    /** A child whose unset fields fall back to this one's. */
    CheckerSettings child() {
        CheckerSettings c = new CheckerSettings();
        c.parent = this;
        return c;
    }

    private CheckerSettings parent;

    Boolean alpha() {
        return alpha != null ? alpha : parent == null ? null : parent.alpha();
    }

    Duration connectTimeout() {
        return connectTimeout != null ? connectTimeout : parent == null ? null : parent.connectTimeout();
    }

    Integer retry() {
        return retry != null ? retry : parent == null ? null : parent.retry();
    }

    Duration delayBeforeRetry() {
        return delayBeforeRetry != null ? delayBeforeRetry : parent == null ? null : parent.delayBeforeRetry();
    }

    Duration warmup() {
        return warmup != null ? warmup : parent == null ? null : parent.warmup();
    }

    Duration delayLoop() {
        return delayLoop != null ? delayLoop : parent == null ? null : parent.delayLoop();
    }

    Boolean inhibitOnFailure() {
        return inhibitOnFailure != null ? inhibitOnFailure : parent == null ? null : parent.inhibitOnFailure();
    }

    Integer rise() {
        return rise != null ? rise : parent == null ? null : parent.rise();
    }

    Integer fall() {
        return fall != null ? fall : parent == null ? null : parent.fall();
    }

    String virtualhost() {
        return virtualhost != null ? virtualhost : parent == null ? null : parent.virtualhost();
    }

    /** Reads one of the inherited keywords into this level; false if {@code n} is not one of them. */
    boolean read(Node n, Values values) {
        switch (n.keyword()) {
            case "alpha" -> alpha = values.bool(n, 0, true);
            case "connect_timeout" -> connectTimeout = values.timer(n, 0, 0.000001, 86400);
            case "retry" -> retry = values.intValue(n, 0, 0, 1_000_000);
            case "delay_before_retry" -> delayBeforeRetry = values.timer(n, 0, 0, 86400);
            case "warmup" -> warmup = values.timer(n, 0, 0, 86400);
            case "delay_loop" -> delayLoop = values.timer(n, 0, 0.000001, 86400);
            case "inhibit_on_failure" -> inhibitOnFailure = values.bool(n, 0, true);
            case "virtualhost" -> virtualhost = values.string(n, 0, "a host name");
            case "rise" -> rise = values.intValue(n, 0, 1, 1_000_000);
            case "fall" -> fall = values.intValue(n, 0, 1, 1_000_000);
            default -> {
                return false;
            }
        }
        return true;
    }
}
