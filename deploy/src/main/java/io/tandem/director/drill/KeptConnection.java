package io.tandem.director.drill;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * One long-lived HTTP/1.1 keep-alive connection of the drill client: a request
 * every {@code interval} on the same TCP connection, for as long as it lives.
 * A failover that keeps established connections shows here as a stall (a gap
 * between two answers); one that loses them as a broken connection (reset, or
 * no answer within the read timeout). A broken connection is replaced by a new
 * one (the next incarnation) so the client always keeps some open.
 */
final class KeptConnection implements Runnable {
    static final String SERVER_HEADER = "x-real-server:";

    /** One TCP connection's life. {@code brokenAt} is -1 while it is open. */
    record Incarnation(int slot, int number, String server, long openedAt, long answers, long lastAnswerAt,
            long brokenAt, String reason, List<Stall> stalls) {
        Incarnation {
            stalls = List.copyOf(stalls);
        }

        /** Open at {@code at}: opened before it and not broken before it. */
        boolean openAt(long at) {
            return openedAt < at && (brokenAt < 0 || brokenAt >= at);
        }

        /** The longest gap between two answers that ended at or after {@code since}. */
        long longestStallSince(long since) {
            return stalls.stream().filter(s -> s.endedAt() >= since).mapToLong(Stall::millis).max().orElse(0);
        }
    }

    /** A gap of {@code millis} between two answers, the second at {@code endedAt}. */
    record Stall(long endedAt, long millis) {
    }

    private final int slot;
    private final InetSocketAddress target;
    private final Duration interval;
    private final Duration readTimeout;
    private final LongSupplier clock;
    private final List<Incarnation> past = new ArrayList<>();
    private volatile boolean stopped;
    private Incarnation current;

    KeptConnection(int slot, InetSocketAddress target, Duration interval, Duration readTimeout, LongSupplier clock) {
        this.slot = slot;
        this.target = target;
        this.interval = interval;
        this.readTimeout = readTimeout;
        this.clock = clock;
    }

    /** Every incarnation so far, the open one last. */
    synchronized List<Incarnation> incarnations() {
        List<Incarnation> all = new ArrayList<>(past);
        if (current != null) {
            all.add(current);
        }
        return all;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        int number = 0;
        while (!stopped) {
            try (Socket socket = new Socket()) {
                socket.connect(target, (int) Math.min(readTimeout.toMillis(), 1000));
                socket.setSoTimeout((int) readTimeout.toMillis());
                socket.setTcpNoDelay(true);
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                String server = exchange(out, in);
                long opened = clock.getAsLong();
                synchronized (this) {
                    current = new Incarnation(slot, ++number, server, opened, 1, opened, -1, "", List.of());
                }
                keep(out, in);
            } catch (IOException e) {
                broken(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(interval.multipliedBy(5));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void keep(OutputStream out, InputStream in) throws IOException, InterruptedException {
        while (!stopped) {
            Thread.sleep(interval);
            String server = exchange(out, in);
            long now = clock.getAsLong();
            synchronized (this) {
                Incarnation c = current;
                if (!server.equals(c.server())) {
                    throw new IOException("answered by " + server + " after " + c.server()
                            + " on the same connection");
                }
                long gap = now - c.lastAnswerAt();
                List<Stall> stalls = c.stalls();
                if (gap > 3 * interval.toMillis()) {
                    stalls = new ArrayList<>(stalls.subList(Math.max(0, stalls.size() - 99), stalls.size()));
                    stalls.add(new Stall(now, gap));
                }
                current = new Incarnation(slot, c.number(), c.server(), c.openedAt(), c.answers() + 1, now, -1, "",
                        stalls);
            }
        }
    }

    private synchronized void broken(IOException e) {
        if (current == null) {
            return; // never opened: not an incarnation
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Incarnation c = current;
        past.add(new Incarnation(slot, c.number(), c.server(), c.openedAt(), c.answers(), c.lastAnswerAt(),
                clock.getAsLong(), reason, c.stalls()));
        current = null;
    }

    /** One request and its answer on the open connection; the answering server's name. */
    private String exchange(OutputStream out, InputStream in) throws IOException {
        out.write(("GET / HTTP/1.1\r\nHost: " + target.getHostString() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected status line: " + status + " (expected: HTTP/1.1 200)");
        }
        int length = -1;
        String server = null;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).strip());
            } else if (lower.startsWith(SERVER_HEADER)) {
                server = header.substring(SERVER_HEADER.length()).strip();
            }
        }
        if (length < 0 || server == null) {
            throw new IOException("answer without Content-Length or " + SERVER_HEADER + " header");
        }
        if (in.readNBytes(length).length != length) {
            throw new IOException("connection closed in the middle of an answer");
        }
        return server;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed by the peer");
            }
            if (c != '\r') {
                s.append((char) c);
            }
            if (s.length() > 8192) {
                throw new IOException("header line longer than 8192 bytes");
            }
        }
        return s.toString();
    }
}
