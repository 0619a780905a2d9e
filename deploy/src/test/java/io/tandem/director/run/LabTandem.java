package io.tandem.director.run;

import io.tandem.core.lab.LabHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code tandem} program as lab tests run it in a namespace, and its /status as they read it. */
public final class LabTandem {
    private LabTandem() {
    }

    /** The command line of {@code tandem ARGS} on this JVM and class path. */
    public static List<String> command(String... args) {
        List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.tandem.director.Main"));
        argv.addAll(List.of(args));
        return argv;
    }

    /** The director's /status response on {@code host} (127.0.0.1:9165), or "" while nothing answers. */
    public static String status(LabHost host) throws Exception {
        return host.call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", 9165), 1000);
                s.setSoTimeout(3000);
                s.getOutputStream().write("GET /status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /**
     * Polls /status until {@code condition} holds. A wait, not a bound (what a
     * test measures it measures apart): JVMs start slowly on a shared machine.
     */
    public static void awaitStatus(LabHost host, String what, Duration timeout, Predicate<String> condition)
            throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = status(host);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(host.name() + ": no " + what + " within " + timeout.toSeconds()
                + " s; last /status: " + last);
    }

    /** The first number {@code p}'s group 1 captures in {@code s}, or -1. */
    public static long number(Pattern p, String s) {
        Matcher m = p.matcher(s);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
