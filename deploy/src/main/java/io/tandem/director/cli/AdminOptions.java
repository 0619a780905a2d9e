package io.tandem.director.cli;

import picocli.CommandLine.Option;

/** Where the running director's admin HTTP is (shared by {@code status} and {@code ipvsadm}). */
public final class AdminOptions {
    @Option(names = "--admin", paramLabel = "URL", defaultValue = "http://127.0.0.1:9165",
            description = "The director's admin HTTP (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:TANDEM_ADMIN_TOKEN}",
            description = "The admin token, when the admin HTTP is not on loopback (default: $TANDEM_ADMIN_TOKEN).")
    String token;
}
