package io.tandem.director.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lab real server for connection-sync tests and drills: every connection carries a
 * stream of 8-byte counters 0, 1, 2 ... from the client; the server checks
 * each one is the next (a lost or duplicated byte breaks the sequence for
 * good) and echoes it back, so the client checks the way back too.
 */
public final class SequenceEchoServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    public final AtomicLong connections = new AtomicLong();
    public final AtomicLong streams = new AtomicLong();
    public final AtomicLong mismatches = new AtomicLong();
    public final AtomicLong counters = new AtomicLong();
    public final AtomicLong resets = new AtomicLong();

    /** Opens the listening socket in the calling thread's network namespace. */
    public SequenceEchoServer(int port) throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(port), 1024);
        threads.submit(this::accept);
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                connections.incrementAndGet();
                threads.submit(() -> serve(c));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long expected = 0;
        boolean counted = false;
        try (c) {
            while (true) {
                int n = c.read(buf);
                if (n < 0) {
                    return;
                }
                buf.flip();
                int whole = buf.remaining() / 8 * 8;
                for (int i = 0; i < whole; i += 8) {
                    if (buf.getLong(buf.position() + i) != expected) {
                        mismatches.incrementAndGet();
                        return;
                    }
                    expected++;
                }
                if (whole > 0 && !counted) {
                    streams.incrementAndGet(); // a client stream, not a health check's probe
                    counted = true;
                }
                counters.addAndGet(whole / 8);
                ByteBuffer echo = buf.duplicate().limit(buf.position() + whole);
                while (echo.hasRemaining()) {
                    c.write(echo);
                }
                buf.position(buf.position() + whole).compact();
            }
        } catch (IOException e) {
            if (counted) {
                resets.incrementAndGet();
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
