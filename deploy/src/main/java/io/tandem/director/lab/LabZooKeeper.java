package io.tandem.director.lab;

import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real ZooKeeper server (ZooKeeperServerMain from the zookeeper jar on this program's class path) run
 * as its own process inside a lab namespace, listening on one lab address only: for the lab tests and
 * {@code tandem lab}. tickTime 200 ms, so that sessions of 0.4 s to 4 s are accepted. Its data survive a
 * {@link #kill} and {@link #restart} (sessions too, as in a real ensemble member that restarts).
 */
public final class LabZooKeeper implements AutoCloseable {
    public static final int PORT = 2181;
    private static final int TICK_MS = 200;

    private final LabHost host;
    private final String address;
    private final Path dir;
    private LabProcess process;
    private int starts;

    private LabZooKeeper(LabHost host, String address, Path dir) {
        this.host = host;
        this.address = address;
        this.dir = dir;
    }

    /** Starts the server in {@code host}'s namespace on {@code address}:2181 and waits until it answers. */
    public static LabZooKeeper start(LabHost host, String address, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("zoo.cfg"), """
                tickTime=%d
                initLimit=5
                syncLimit=2
                dataDir=%s
                clientPort=%d
                clientPortAddress=%s
                minSessionTimeout=%d
                maxSessionTimeout=%d
                admin.enableServer=false
                4lw.commands.whitelist=ruok,srvr
                """.formatted(TICK_MS, dir.resolve("data"), PORT, address, 2 * TICK_MS, 20 * TICK_MS));
        LabZooKeeper zk = new LabZooKeeper(host, address, dir);
        zk.launch();
        return zk;
    }

    /** The connect string for a {@code zookeeper} block. */
    public String connect() {
        return address + ":" + PORT;
    }

    public long pid() {
        return process.pid();
    }

    private void launch() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        process = host.start(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "-Dzookeeper.jmx.log4j.disable=true", "org.apache.zookeeper.server.ZooKeeperServerMain",
                dir.resolve("zoo.cfg").toString()), dir.resolve("zookeeper-" + (++starts) + ".log"));
        long end = System.nanoTime() + 30_000_000_000L;
        while (!serving()) {
            if (!process.isAlive() || System.nanoTime() > end) {
                String log = Files.exists(process.logFile()) ? Files.readString(process.logFile()) : "";
                process.stop();
                throw new IOException("ZooKeeper did not start on " + connect() + " in " + host.name() + ":\n" + log);
            }
            Thread.sleep(50);
        }
    }

    /** Whether the server answers "ruok" with "imok" (from its namespace). */
    public boolean serving() {
        try {
            return host.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(address, PORT), 500);
                    s.setSoTimeout(1000);
                    OutputStream out = s.getOutputStream();
                    out.write("ruok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = s.getInputStream();
                    return new String(in.readAllBytes(), StandardCharsets.US_ASCII).equals("imok");
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (Exception e) {
            return false;
        }
    }

    /** SIGKILL: the server dies without a word, as a crashed host's would. */
    public void kill() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(java.time.Duration.ofSeconds(10));
        process.stop(); // already dead: only the lab's bookkeeping
    }

    /** Starts it again on the same data (after {@link #kill}). */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) {
            throw new IllegalStateException("ZooKeeper still running (pid " + process.pid() + "; expected: killed)");
        }
        launch();
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop();
        }
    }
}
