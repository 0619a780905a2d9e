package io.tandem.core.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Real servers from Debian's packages for the checker and director lab tests:
 * the command lines (and files) that run nginx (HTTP and HTTPS), dnsmasq (DNS
 * over UDP), socat as a UDP echo and as a scripted SMTP server, each in the
 * foreground, bound to one address, with all its files in a folder of the
 * test's. Start them with {@link LabHost#start} in a namespace or with a
 * {@link ProcessBuilder} on loopback.
 */
public final class LabPeers {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path DNSMASQ = Path.of("/usr/sbin/dnsmasq");
    public static final Path SOCAT = Path.of("/usr/bin/socat");

    private LabPeers() {
    }

    /**
     * Writes {@code dir/nginx.conf}: plain HTTP on {@code ip:http}, TLS on {@code ip:https} with the
     * certificate, documents from {@code dir/html}, {@code serverDirectives} added to the server block.
     * Returns the command line.
     */
    public static List<String> nginx(Path dir, String ip, int http, int https, Path certificate, Path key,
            String serverDirectives) throws IOException {
        Files.createDirectories(dir.resolve("html"));
        Files.createDirectories(dir.resolve("tmp"));
        String conf = """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/nginx-error.log warn;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/tmp;
                    proxy_temp_path %1$s/tmp;
                    fastcgi_temp_path %1$s/tmp;
                    uwsgi_temp_path %1$s/tmp;
                    scgi_temp_path %1$s/tmp;
                    server {
                        listen %2$s:%3$d;
                        listen %2$s:%4$d ssl;
                        ssl_certificate %5$s;
                        ssl_certificate_key %6$s;
                        root %1$s/html;
                        %7$s
                    }
                }
                """.formatted(dir, ip, http, https, certificate, key, serverDirectives);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        return List.of(NGINX.toString(), "-p", dir.toString(), "-c", file.toString());
    }

    /** dnsmasq answering {@code name} (and its subdomains) with the A record {@code address}, nothing else. */
    public static List<String> dnsmasq(Path dir, String ip, int port, String name, String address) {
        return List.of(DNSMASQ.toString(), "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv",
                "--no-hosts", "--no-poll", "--bind-interfaces", "--listen-address=" + ip, "--port=" + port,
                "--address=/" + name + "/" + address, "--pid-file=" + dir.resolve("dnsmasq-" + ip + ".pid"),
                "--user=root", "--log-facility=-");
    }

    /** socat echoing every UDP datagram to {@code ip:port} back to its sender. */
    public static List<String> udpEcho(String ip, int port) {
        return List.of(SOCAT.toString(), "-T", "2", "UDP4-RECVFROM:" + port + ",bind=" + ip + ",reuseaddr,fork",
                "PIPE");
    }

    /** socat running {@code dialogue} (see {@link #smtpDialogue}) for every connection to {@code ip:port}. */
    public static List<String> smtp(String ip, int port, Path dialogue) {
        return List.of(SOCAT.toString(), "TCP4-LISTEN:" + port + ",bind=" + ip + ",reuseaddr,fork", "EXEC:" + dialogue);
    }

    /** Writes {@code dir/smtp.sh}, the server side of SMTP_CHECK's exchange: 220, HELO 250, QUIT 221. */
    public static Path smtpDialogue(Path dir) throws IOException {
        Path p = dir.resolve("smtp.sh");
        Files.writeString(p, """
                #!/bin/sh
                printf '220 rs.example ESMTP\\r\\n'
                read helo
                printf '250 rs.example\\r\\n'
                read quit
                printf '221 bye\\r\\n'
                """);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }
}
