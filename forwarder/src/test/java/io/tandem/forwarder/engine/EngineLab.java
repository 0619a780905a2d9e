package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.lab.Lab;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The engine's lab (client -> router -> director-a -> rs1, rs2) as its lab
 * tests share it: the VIP on director-a (which does not route), line servers
 * on the real servers that answer with their name and the addresses they saw,
 * an engine opened in director-a, and clients that count who answered.
 * Closes what it opened, then the lab, on every path.
 */
final class EngineLab implements AutoCloseable {
    final Lab lab;
    private final List<AutoCloseable> open = new ArrayList<>();

    private EngineLab(Lab lab) {
        this.lab = lab;
    }

    static EngineLab create() throws IOException {
        Lab lab = Lab.create(LabOptions.defaults().withPrefix(LabOptions.randomPrefix()).withRealServers(2));
        try {
            LabHost director = lab.directorA();
            director.exec("ip", "addr", "add", LabAddresses.VIP + "/32", "dev", director.interfaceName()).orThrow();
            director.exec("sysctl", "-qw", "net.ipv4.ip_forward=0").orThrow();
            return new EngineLab(lab);
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
    }

    static Inet4Address ip(String text) throws IOException {
        return (Inet4Address) InetAddress.getByName(text);
    }

    /** Closed (in reverse order) before the lab. */
    <T extends AutoCloseable> T keep(T resource) {
        open.add(resource);
        return resource;
    }

    /** NAT: the real servers answer the client's network through director-a. */
    void routeRepliesThroughDirector() throws IOException {
        for (int i = 1; i <= 2; i++) {
            lab.realServer(i).exec("ip", "route", "replace", LabAddresses.EXTERNAL_NETWORK, "via",
                    LabAddresses.DIRECTOR_A).orThrow();
        }
    }

    EngineOptions options() {
        LabHost director = lab.directorA();
        return EngineOptions.of(director.interfaceName(), "labtest").withConnections(4096)
                .withNftPrefix(director.namespace().prefix());
    }

    /** An engine in director-a for {@code specs}, in standby; closed with the lab. */
    ForwarderEngine engine(List<ServiceSpec> specs) throws Exception {
        return engine(specs, UnaryOperator.identity());
    }

    ForwarderEngine engine(List<ServiceSpec> specs, UnaryOperator<EngineOptions> tune) throws Exception {
        EngineOptions options = tune.apply(options());
        return keep(lab.directorA().call(() -> ForwarderEngine.open(options, specs)));
    }

    /** Line servers on {@code port} of rs1 and rs2 ({@link #serve}). */
    void startServers(int port) throws Exception {
        for (int i = 1; i <= 2; i++) {
            startServer(i, port);
        }
    }

    /** A line server ({@link #serve}) on {@code port} of real server {@code i} only. */
    void startServer(int i, int port) throws Exception {
        String name = "rs" + i;
        ServerSocket server = keep(lab.realServer(i).call(() -> new ServerSocket(port)));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> serve(s, name));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /**
     * A server on {@code port} of real server {@code i} that accepts connections and never reads
     * them: what a frozen application does. Whatever a client sends stays in the kernel's receive
     * queue. The accepted sockets are closed with the lab.
     */
    void startSink(int i, int port) throws Exception {
        ServerSocket server = lab.realServer(i).call(() -> new ServerSocket(port));
        List<Socket> accepted = new ArrayList<>();
        keep(() -> {
            server.close();
            synchronized (accepted) {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        });
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    synchronized (accepted) {
                        if (server.isClosed()) {
                            s.close();
                        } else {
                            accepted.add(s);
                        }
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** Answers each line with the server's name, the address the client was seen from and talked to, and the line. */
    private static void serve(Socket s, String name) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.US_ASCII)); OutputStream out = s.getOutputStream()) {
            for (String line; (line = in.readLine()) != null; ) {
                String seen = s.getInetAddress().getHostAddress() + "->" + s.getLocalAddress().getHostAddress();
                out.write((name + " " + seen + " " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Echo servers on {@code port} of rs1 and rs2: each connection's bytes back until it closes. */
    void startEchoServers(int port) throws Exception {
        for (int i = 1; i <= 2; i++) {
            ServerSocket server = keep(lab.realServer(i).call(() -> new ServerSocket(port)));
            Thread.ofVirtual().start(() -> echo(server));
        }
    }

    private static void echo(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = s.getInputStream().read(buffer)) > 0; ) {
                    s.getOutputStream().write(buffer, 0, n);
                }
                s.shutdownOutput();
            } catch (IOException e) {
                // closed by the test, or the client went away
            }
        }
    }

    /** {@code connections} connections from the client to VIP:{@code port}, one line each; who answered, how often. */
    Map<String, Integer> talk(int port, int connections) throws Exception {
        return talk(port, connections, false);
    }

    /**
     * As {@link #talk(int, int)}; {@code reset}: each connection is closed with a RST (SO_LINGER 0),
     * which leaves its entry in IPVS's CLOSE state (10 s) rather than TIME_WAIT (120 s).
     */
    Map<String, Integer> talk(int port, int connections, boolean reset) throws Exception {
        return lab.client().call(() -> {
            Map<String, Integer> answeredBy = new TreeMap<>();
            for (int c = 0; c < connections; c++) {
                try (Socket s = new Socket()) {
                    if (reset) {
                        s.setSoLinger(true, 0);
                    }
                    s.connect(new InetSocketAddress(LabAddresses.VIP, port), 2000);
                    s.setSoTimeout(2000);
                    s.getOutputStream().write(("hello " + c + "\n").getBytes(StandardCharsets.US_ASCII));
                    String reply = new BufferedReader(new InputStreamReader(s.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    assertThat(reply).endsWith(" hello " + c);
                    String[] words = reply.split(" ");
                    answeredBy.merge(words[0] + " " + words[1], 1, Integer::sum);
                }
            }
            return answeredBy;
        });
    }

    @Override
    public void close() throws Exception {
        try {
            for (AutoCloseable c : open.reversed()) {
                c.close();
            }
        } finally {
            lab.close();
        }
    }
}
