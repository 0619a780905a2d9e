package io.tandem.director.run;

import io.tandem.core.lab.LabHost;
import io.tandem.director.lab.DemoHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the director lab tests share: the {@code tandem} command line, a one-shot GET, waiting for a condition. */
final class DirectorLabSupport {
    private DirectorLabSupport() {
    }

    /** {@code tandem ARGS} run from the test's own classpath. */
    static List<String> tandem(String... args) {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tandem.director.Main"));
        argv.addAll(List.of(args));
        return argv;
    }

    /** A one-shot HTTP/1.0 GET from inside {@code host}'s namespace; the whole response, or "" when refused. */
    static String get(LabHost host, String ip, int port, String path) throws Exception {
        return host.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(ip, port), 2000);
                s.setSoTimeout(3000);
                s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + ip + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** The body of an HTTP response {@link #get} returned. */
    static String body(String response) {
        int at = response.indexOf("\r\n\r\n");
        return at < 0 ? "" : response.substring(at + 4);
    }

    /** The DemoHttpServer that answered {@code response}: its name, "refused" or "other". */
    static String servedBy(String response) {
        return response.isEmpty() ? "refused" : response.lines()
                .filter(l -> l.regionMatches(true, 0, DemoHttpServer.SERVER_HEADER + ":", 0,
                        DemoHttpServer.SERVER_HEADER.length() + 1))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("other");
    }

    static void await(String what, Duration timeout, Check check) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }
}
