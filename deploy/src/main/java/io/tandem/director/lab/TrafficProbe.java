package io.tandem.director.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * A client that keeps asking a virtual service who it is, one new TCP
 * connection per request, and records what it saw: requests answered per
 * real server, failures, and the longest outage (the longest time between
 * two answered requests that had a failure between them), which is what a
 * client observes of a failover; and why the failed requests failed.
 */
public final class TrafficProbe {
    /** What the probe saw. */
    public record Report(long requests, long answered, long failed, Duration longestOutage,
            Map<String, Long> answeredBy, Duration slowestAnswer, Map<String, Long> failures) {
        /** One line of JSON, the format the lab demo reads back. */
        public String toJson() {
            return "{\"requests\":" + requests + ",\"answered\":" + answered + ",\"failed\":" + failed
                    + ",\"longest_outage_ms\":" + longestOutage.toMillis() + ",\"slowest_answer_ms\":"
                    + slowestAnswer.toMillis() + ",\"answered_by\":" + json(answeredBy) + ",\"failures\":"
                    + json(failures) + "}";
        }

        private static String json(Map<String, Long> counts) {
            StringBuilder b = new StringBuilder("{");
            counts.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"')
                    .append(k.replace("\\", "\\\\").replace("\"", "\\\"")).append("\":").append(v));
            return b.append('}').toString();
        }
    }

    private final InetSocketAddress target;
    private final Duration timeout;
    private final LongSupplier nanoClock;

    public TrafficProbe(InetSocketAddress target, Duration timeout, LongSupplier nanoClock) {
        this.target = target;
        this.timeout = timeout;
        this.nanoClock = nanoClock;
    }

    /** Sends requests every {@code interval} for {@code duration}; returns what it saw. */
    public Report run(Duration duration, Duration interval) throws InterruptedException {
        Map<String, Long> answeredBy = new TreeMap<>();
        Map<String, Long> failures = new TreeMap<>();
        long requests = 0;
        long answered = 0;
        long failed = 0;
        long lastAnswer = -1;
        boolean failedSinceLastAnswer = false;
        long longestOutage = 0;
        long slowest = 0;
        long start = nanoClock.getAsLong();
        long end = start + duration.toNanos();
        long next = start;
        while (nanoClock.getAsLong() < end) {
            requests++;
            long asked = nanoClock.getAsLong();
            Answer answer = attempt();
            String server = answer.server();
            long now = nanoClock.getAsLong();
            if (server != null) {
                answered++;
                slowest = Math.max(slowest, now - asked);
                answeredBy.merge(server, 1L, Long::sum);
                if (failedSinceLastAnswer && lastAnswer >= 0) {
                    longestOutage = Math.max(longestOutage, now - lastAnswer);
                }
                lastAnswer = now;
                failedSinceLastAnswer = false;
            } else {
                failed++;
                failedSinceLastAnswer = true;
                failures.merge(answer.failure(), 1L, Long::sum);
            }
            next += interval.toNanos();
            long sleep = next - nanoClock.getAsLong();
            if (sleep > 0) {
                Thread.sleep(Duration.ofNanos(sleep));
            }
        }
        if (failedSinceLastAnswer) {
            // still down at the end: the outage lasted at least until now
            longestOutage = Math.max(longestOutage, nanoClock.getAsLong() - (lastAnswer >= 0 ? lastAnswer : start));
        }
        return new Report(requests, answered, failed, Duration.ofNanos(longestOutage), answeredBy,
                Duration.ofNanos(slowest), failures);
    }

    /** One request on a new connection; the answering server's name, or null. */
    public String ask() {
        return attempt().server();
    }

    /** What one request got: the answering server, or why there was no answer. */
    public record Answer(String server, String failure) {
    }

    /** One request on a new connection. */
    public Answer attempt() {
        try (Socket socket = new Socket()) {
            int millis = (int) Math.max(1, timeout.toMillis());
            socket.connect(target, millis);
            socket.setSoTimeout(millis);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.0\r\nHost: " + target.getHostString() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String server = serverOf(socket.getInputStream());
            return new Answer(server, server == null ? "no HTTP 200" : null);
        } catch (IOException e) {
            return new Answer(null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static String serverOf(InputStream in) throws IOException {
        byte[] response = in.readNBytes(4096);
        String text = new String(response, StandardCharsets.US_ASCII);
        if (!text.startsWith("HTTP/1.") || !text.regionMatches(9, "200", 0, 3)) {
            return null;
        }
        String header = DemoHttpServer.SERVER_HEADER.toLowerCase() + ":";
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith(header)) {
                return line.substring(header.length()).strip();
            }
        }
        int body = text.indexOf("\r\n\r\n");
        return body >= 0 ? text.substring(body + 4).strip() : null;
    }
}
