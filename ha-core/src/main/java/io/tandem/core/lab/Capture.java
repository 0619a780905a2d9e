package io.tandem.core.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A running {@code tcpdump -U -w} on one interface of a lab namespace, writing
 * to a temporary pcap file. {@link #start} returns once tcpdump reports that it
 * is listening (its filter is attached), so nothing sent afterwards is missed.
 */
public final class Capture implements AutoCloseable {
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;

    private final String where;
    private final Path file;
    private final LabProcess tcpdump;
    private final StringBuffer stderr;
    private List<PcapFrame> stopped;

    private Capture(String where, Path file, LabProcess tcpdump, StringBuffer stderr) {
        this.where = where;
        this.file = file;
        this.tcpdump = tcpdump;
        this.stderr = stderr;
    }

    /** Starts tcpdump through {@code host} on {@code iface} with the BPF expression {@code filter} (may be empty). */
    static Capture start(LabHost host, String iface, String filter) throws IOException {
        Path file = Files.createTempFile("tandem-" + host.namespace().name() + "-" + iface + "-", ".pcap");
        List<String> argv = new ArrayList<>(List.of("tcpdump", "-i", iface, "-n", "-U", "--immediate-mode",
                "--time-stamp-precision=nano", "-Z", "root", "-w", file.toString()));
        if (filter != null && !filter.isBlank()) {
            argv.add(filter);
        }
        String where = host.namespace().name() + ":" + iface + (filter == null || filter.isBlank() ? "" : " [" + filter + "]");
        LabProcess process;
        try {
            process = host.launch(new ProcessBuilder(host.commandLine(argv))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD), null);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        StringBuffer stderr = new StringBuffer();
        CountDownLatch listening = new CountDownLatch(1);
        Thread.startVirtualThread(() -> readStderr(process, stderr, listening));
        Capture capture = new Capture(where, file, process, stderr);
        try {
            boolean ready = listening.await(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!ready || !stderr.toString().contains("listening on")) {
                throw new IOException("tcpdump on " + where + " is not listening"
                        + (ready ? "" : " after " + LISTEN_TIMEOUT) + ": " + stderr.toString().strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            capture.close();
            throw new IOException("interrupted while starting tcpdump on " + where, e);
        } catch (IOException e) {
            capture.close();
            throw e;
        }
        return capture;
    }

    private static void readStderr(LabProcess process, StringBuffer stderr, CountDownLatch listening) {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.process().getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                stderr.append(line).append('\n');
                if (line.contains("listening on")) {
                    listening.countDown();
                }
            }
        } catch (IOException e) {
            stderr.append(e).append('\n');
        } finally {
            listening.countDown();
        }
    }

    /** The frames written so far, without stopping. */
    public List<PcapFrame> frames() throws IOException {
        if (stopped != null) {
            return stopped;
        }
        return PcapReader.read(file).frames();
    }

    /**
     * Waits until at least {@code count} captured frames match, or {@code timeout}
     * passes; returns the matching frames seen by then (possibly fewer).
     */
    public List<PcapFrame> awaitFrames(Predicate<PcapFrame> match, int count, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<PcapFrame> matching = frames().stream().filter(match).toList();
            if (matching.size() >= count || System.nanoTime() - deadline >= 0 || stopped != null) {
                return matching;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Stops tcpdump (SIGTERM) and returns every frame it wrote; the pcap file is deleted. Safe to call twice. */
    public synchronized List<PcapFrame> stop() throws IOException {
        if (stopped == null) {
            tcpdump.stop(STOP_GRACE);
            try {
                stopped = PcapReader.read(file).frames();
            } finally {
                Files.deleteIfExists(file);
            }
        }
        return stopped;
    }

    /** What tcpdump printed on stderr (its listening line and final counts). */
    public String diagnostics() {
        return stderr.toString();
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "capture on " + where;
    }
}
