package io.tandem.director.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side: {@code n} long-lived TCP connections to the VIP, each
 * sending 8-byte counters every {@code period} and checking the echoes come
 * back in order. Records, per connection, errors (a reset, a broken
 * sequence) and the longest gap between two echoes while it was sending:
 * the stall a failover caused.
 */
public final class SequenceStreams implements AutoCloseable {
    private static final int COUNTERS_PER_TICK = 16;

    private static final class Stream {
        final SocketChannel channel;
        final ByteBuffer out = ByteBuffer.allocate(1 << 16);
        final ByteBuffer in = ByteBuffer.allocate(1 << 16);
        long nextToSend;
        long nextExpected;
        long lastEchoAt;
        long longestGap;
        long longestGapAt;
        String error;

        Stream(SocketChannel channel, long now) {
            this.channel = channel;
            this.lastEchoAt = now;
            out.flip();
        }
    }

    private final List<Stream> streams = new ArrayList<>();
    private final Selector selector;
    private final long periodNanos;
    private final Thread loop;
    private volatile boolean sending = true;
    private volatile boolean running = true;

    /** Connects in the calling thread's namespace; the streams run on their own thread from then on. */
    public SequenceStreams(InetSocketAddress vip, int n, long periodNanos) throws IOException {
        this.periodNanos = periodNanos;
        this.selector = Selector.open();
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            SocketChannel c = SocketChannel.open();
            c.socket().connect(vip, 2000);
            c.configureBlocking(false);
            Stream s = new Stream(c, now);
            c.register(selector, SelectionKey.OP_READ, s);
            streams.add(s);
        }
        loop = Thread.ofPlatform().name("sequence-streams").daemon().start(this::run);
    }

    private void run() {
        long nextTick = System.nanoTime();
        while (running) {
            try {
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick += periodNanos;
                    if (sending) {
                        for (Stream s : streams) {
                            send(s);
                        }
                    }
                }
                selector.select(Math.max(1, (nextTick - now) / 1_000_000));
                now = System.nanoTime();
                for (SelectionKey k : selector.selectedKeys()) {
                    Stream s = (Stream) k.attachment();
                    if (k.isValid() && k.isReadable()) {
                        receive(s, now);
                    }
                    if (k.isValid() && k.isWritable()) {
                        flush(s);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                // per-stream errors are recorded on the stream; a selector failure ends the loop
                return;
            }
        }
    }

    private void send(Stream s) {
        if (s.error != null) {
            return;
        }
        s.out.compact();
        for (int i = 0; i < COUNTERS_PER_TICK && s.out.remaining() >= 8; i++) {
            s.out.putLong(s.nextToSend++);
        }
        s.out.flip();
        flush(s);
    }

    private void flush(Stream s) {
        try {
            s.channel.write(s.out);
            s.channel.keyFor(selector).interestOps(SelectionKey.OP_READ
                    | (s.out.hasRemaining() ? SelectionKey.OP_WRITE : 0));
        } catch (IOException e) {
            fail(s, "write: " + e);
        }
    }

    private void receive(Stream s, long now) {
        try {
            int n = s.channel.read(s.in);
            if (n < 0) {
                fail(s, "closed by the peer");
                return;
            }
            s.in.flip();
            boolean any = false;
            while (s.in.remaining() >= 8) {
                long v = s.in.getLong();
                if (v != s.nextExpected) {
                    fail(s, "echo " + v + " where " + s.nextExpected + " was due");
                    return;
                }
                s.nextExpected++;
                any = true;
            }
            s.in.compact();
            if (any) {
                long gap = now - s.lastEchoAt;
                if (sending && gap > s.longestGap) {
                    s.longestGap = gap;
                    s.longestGapAt = now;
                }
                s.lastEchoAt = now;
            }
        } catch (IOException e) {
            fail(s, "read: " + e);
        }
    }

    private void fail(Stream s, String why) {
        if (s.error == null) {
            s.error = why;
        }
        s.channel.keyFor(selector).cancel();
    }

    /** Stops sending new counters (what was sent is still echoed and checked). */
    public void stopSending() {
        sending = false;
    }

    /** Resets the per-stream longest gaps (a new phase begins). */
    public synchronized void resetGaps() {
        long now = System.nanoTime();
        for (Stream s : streams) {
            s.longestGap = 0;
            s.lastEchoAt = now;
        }
    }

    /** True when every stream without an error has had all its counters echoed. */
    public boolean drained() {
        for (Stream s : streams) {
            if (s.error == null && s.nextExpected != s.nextToSend) {
                return false;
            }
        }
        return true;
    }

    public List<String> errors() {
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            if (streams.get(i).error != null) {
                errors.add("stream " + i + ": " + streams.get(i).error);
            }
        }
        return errors;
    }

    /** The longest echo gap of any stream, in milliseconds, counting a stall still going on. */
    public long longestGapMillis() {
        long now = System.nanoTime();
        return streams.stream().mapToLong(s -> gap(s, now)).max().orElse(0) / 1_000_000;
    }

    /** The median of the streams' longest gaps, in milliseconds. */
    public long medianGapMillis() {
        long now = System.nanoTime();
        long[] gaps = streams.stream().mapToLong(s -> gap(s, now)).sorted().toArray();
        return gaps.length == 0 ? 0 : gaps[gaps.length / 2] / 1_000_000;
    }

    /** A stream's longest gap so far, or the one it is in now if that is longer and echoes are due. */
    private static long gap(Stream s, long now) {
        long current = s.nextExpected != s.nextToSend ? now - s.lastEchoAt : 0;
        return Math.max(s.longestGap, current);
    }

    /**
     * When the worst stall (as {@link #longestGapMillis()} counts it) ended, or
     * is still going on, as wall-clock milliseconds, for reading beside the
     * directors' logs.
     */
    public long worstGapEndEpochMillis() {
        long now = System.nanoTime();
        long wallNow = System.currentTimeMillis();
        Stream worst = null;
        for (Stream s : streams) {
            if (worst == null || gap(s, now) > gap(worst, now)) {
                worst = s;
            }
        }
        if (worst == null) {
            return wallNow;
        }
        boolean ongoing = worst.nextExpected != worst.nextToSend && now - worst.lastEchoAt >= worst.longestGap;
        return ongoing ? wallNow : wallNow - (now - worst.longestGapAt) / 1_000_000L;
    }

    public long countersEchoed() {
        return streams.stream().mapToLong(s -> s.nextExpected).sum();
    }

    public int size() {
        return streams.size();
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Stream s : streams) {
            s.channel.close();
        }
        selector.close();
    }
}
