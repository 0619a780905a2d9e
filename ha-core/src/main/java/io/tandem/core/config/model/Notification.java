package io.tandem.core.config.model;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The e-mail alert settings of {@code global_defs}: recipients, sender, SMTP server (default port 25),
 * HELO name, connect timeout (default 30 s), and the default {@code smtp_alert} switches.
 */
public record Notification(List<String> emails, Optional<String> emailFrom, Optional<String> smtpServer, int smtpPort,
                           Optional<String> smtpHeloName, Duration smtpConnectTimeout, Optional<Boolean> smtpAlert,
                           Optional<Boolean> smtpAlertVrrp, Optional<Boolean> smtpAlertChecker, boolean noEmailFaults) {
    public Notification {
        emails = List.copyOf(emails);
    }
}
