package io.tandem.forwarder.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tandem.core.afpacket.PacketSocket;
import io.tandem.core.afpacket.PacketSocketContext;
import io.tandem.core.lab.LabAddresses;
import io.tandem.core.lab.LabHost;
import io.tandem.core.lab.LabTest;
import io.tandem.core.packet.ParseResult;
import io.tandem.forwarder.api.ConnectionSnapshot;
import io.tandem.forwarder.api.RealServerSnapshot;
import io.tandem.forwarder.conn.ForwardMethod;
import io.tandem.forwarder.path.DropReason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's acceptance in the lab (client -> router -> director-a -> rs1, rs2; NAT): persistence
 * keeps a client on one real server until its template expires; weight 0 drains without breaking
 * a connection; thousands of garbage, truncated, fragmented and stray frames are counted where
 * the forwarder's code says, dropped or left to the kernel, and stop nothing.
 */
@LabTest
class ForwarderAcceptanceLabTest {
    /** IPVS's CLOSE timeout: a connection closed by a RST stays this long. */
    private static final long CLOSE_SECONDS = 10;
    private static final int PERSISTENCE_SECONDS = 3;
    /** Rounds of every {@link HostileFrame} class. */
    private static final int ROUNDS = 300;
    /** Frames sent before the sender waits for the worker to have taken them (the receive ring holds 512). */
    private static final int WINDOW = 128;

    private EngineLab env;

    @BeforeEach
    void lab() throws Exception {
        env = EngineLab.create();
        env.routeRepliesThroughDirector();
        env.startServers(8080);
    }

    @AfterEach
    void teardown() throws Exception {
        env.close();
    }

    private static RealServerSpec realServer(int n) throws IOException {
        return new RealServerSpec(EngineLab.ip(LabAddresses.realServer(n)), 8080, 1, ForwardMethod.NAT);
    }

    private static String answeredBy(int n) {
        return "rs" + n + " " + LabAddresses.CLIENT + "->" + LabAddresses.realServer(n);
    }

    private ForwarderEngine activeEngine(int persistenceSeconds) throws Exception {
        ServiceSpec web = new ServiceSpec(6, EngineLab.ip(LabAddresses.VIP), 80, "rr", List.of(), persistenceSeconds,
                -1, List.of(), List.of(realServer(1), realServer(2)));
        ForwarderEngine engine = env.engine(List.of(web));
        engine.activate();
        return engine;
    }

    /**
     * IPVS's template semantics (ConnectionTable, ConnectionScheduler): a client's template sends
     * each new connection to its real server; it lives while connections it placed are in the
     * table, then persistence_timeout more. Every connection here ends with a RST, so its entry
     * stays in CLOSE for 10 s: the template outlives its own 3 s timeout for as long.
     */
    @Test
    void persistenceKeepsAClientOnOneRealServerUntilItsTemplateExpires() throws Exception {
        ForwarderEngine engine = activeEngine(PERSISTENCE_SECONDS);
        String first = single(env.talk(80, 1, true));
        List<String> during = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // 4 s: longer than the persistence timeout, each connection already closed
            Thread.sleep(500);
            during.add(single(env.talk(80, 1, true)));
        }
        long lastClosed = System.nanoTime();
        assertThat(during).as("connections while the template lives").containsOnly(first);
        // the last RST crosses the director a moment after the client's close returns
        List<String> states = List.of();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2); System.nanoTime() < end; Thread.sleep(20)) {
            states = engine.connections().get(5, TimeUnit.SECONDS).stream().map(ConnectionSnapshot::state).toList();
            if (states.stream().allMatch("CLOSE"::equals)) {
                break;
            }
        }
        assertThat(states).as("closed by a RST").isNotEmpty().containsOnly("CLOSE");

        // the table empties (connections, then the template) no earlier than CLOSE allows
        long deadline = lastClosed + TimeUnit.SECONDS.toNanos(CLOSE_SECONDS + PERSISTENCE_SECONDS + 5);
        while (engine.counters().get(5, TimeUnit.SECONDS).connections() > 0) {
            assertThat(System.nanoTime()).as("template still in the table after its timeout").isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(System.nanoTime() - lastClosed).as("template gone only after the connections it placed")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(CLOSE_SECONDS * 1000 - 500));

        // scheduled afresh: round robin moves on to the other real server, and a new template keeps the client there
        String other = first.equals(answeredBy(1)) ? answeredBy(2) : answeredBy(1);
        assertThat(env.talk(80, 4, true)).containsOnlyKeys(other);
    }

    private static String single(Map<String, Integer> answeredBy) {
        assertThat(answeredBy).hasSize(1);
        return answeredBy.keySet().iterator().next();
    }

    /**
     * Four long-lived connections (two per real server) exchange numbered lines; each reply is
     * checked whole. rs1's weight goes to 0 after a second: its two streams carry on to the end
     * without a reset or a lost byte, while every new connection goes to rs2.
     */
    @Test
    void weightZeroDrainsWithoutBreakingExistingConnections() throws Exception {
        ForwarderEngine engine = activeEngine(0);
        List<Socket> sockets = env.lab.client().call(() -> {
            List<Socket> opened = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(LabAddresses.VIP, 80), 2000);
                s.setSoTimeout(3000);
                opened.add(s);
            }
            return opened;
        });
        List<Stream> streams = new ArrayList<>();
        for (Socket s : sockets) {
            streams.add(env.keep(new Stream(s)));
        }
        assertThat(streams).extracting(Stream::server).containsExactly(answeredBy(1), answeredBy(2), answeredBy(1),
                answeredBy(2));
        streams.forEach(Stream::start);
        Thread.sleep(1000);

        engine.setWeight(engine.specs().getFirst(), realServer(1), 0).get(5, TimeUnit.SECONDS);
        long drained = System.nanoTime();
        streams.forEach(s -> s.markDrained(drained));
        for (int round = 0; round < 4; round++) {
            assertThat(env.talk(80, 3)).as("new connections after the drain").containsOnlyKeys(answeredBy(2));
            Thread.sleep(500);
        }
        RealServerSnapshot rs1 = engine.services().get(5, TimeUnit.SECONDS).getFirst().realServers().getFirst();
        assertThat(rs1.weight()).isZero();
        assertThat(rs1.activeConnections()).as("rs1's streams, still established").isEqualTo(2);

        for (Stream s : streams) {
            s.finish();
            assertThat(s.failure()).as(s.server()).isNull();
            assertThat(s.afterDrain()).as("exchanges after the drain on " + s.server()).isGreaterThan(50);
        }
    }

    /** A client connection exchanging numbered lines in lockstep on its own thread; every reply checked whole. */
    private static final class Stream implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;
        private final String server;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicInteger afterDrain = new AtomicInteger();
        private volatile long drainedAt = Long.MAX_VALUE;
        private volatile boolean running = true;
        private Thread thread;

        Stream(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            this.out = socket.getOutputStream();
            String line = line(0);
            String reply = exchange(0);
            this.server = reply.substring(0, reply.length() - line.length() - 1);
        }

        private static String line(long n) {
            return n + " " + "0123456789abcdef".repeat(4) + " " + Long.toHexString(n * 0x9E3779B97F4A7C15L);
        }

        String server() {
            return server;
        }

        private String exchange(long n) throws IOException {
            String line = line(n);
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = in.readLine();
            if (reply == null || !reply.endsWith(" " + line) || (server != null && !reply.equals(server + " " + line))) {
                throw new IOException("exchange " + n + ": sent \"" + line + "\", got \"" + reply + "\"");
            }
            return reply;
        }

        void start() {
            thread = Thread.ofPlatform().name("stream-" + socket.getLocalPort()).start(() -> {
                try {
                    for (long n = 1; running; n++) {
                        exchange(n);
                        if (System.nanoTime() - drainedAt > 0) {
                            afterDrain.incrementAndGet();
                        }
                    }
                    socket.shutdownOutput();
                    String rest = in.readLine();
                    if (rest != null) {
                        throw new IOException("unexpected line after the last exchange: " + rest);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        }

        void markDrained(long at) {
            drainedAt = at;
        }

        void finish() throws InterruptedException {
            running = false;
            thread.join(10_000);
            assertThat(thread.isAlive()).as("stream to " + server + " finished").isFalse();
        }

        Throwable failure() {
            return failure.get();
        }

        int afterDrain() {
            return afterDrain.get();
        }

        @Override
        public void close() throws Exception {
            running = false;
            socket.close();
            if (thread != null) {
                thread.join(5000);
            }
        }
    }

    /**
     * From the router's LAN port (the client's next hop, so the frames arrive as the client's traffic
     * does), {@value #ROUNDS} rounds of every {@link HostileFrame} class to director-a's MAC, while
     * and after which connections through the VIP keep working. Each class lands in the counter the
     * forwarder's code names for it; the worker keeps running.
     */
    @Test
    void hostileFramesAreCountedDroppedOrPassedAndStopNoWorker() throws Exception {
        // br_netfilter, where loaded, makes the lab's bridge check IPv4 headers (br_validate_ipv4) and drop what
        // is malformed before the director sees it; a switch does not
        env.lab.bridges().exec("sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=0").orThrow();
        ForwarderEngine engine = activeEngine(0);
        assertThat(env.talk(80, 2)).hasSize(2);
        EngineCounters before = engine.counters().get(5, TimeUnit.SECONDS);

        AtomicReference<Throwable> talkFailure = new AtomicReference<>();
        AtomicInteger talked = new AtomicInteger();
        Thread talker = Thread.ofPlatform().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    env.talk(80, 1);
                    talked.incrementAndGet();
                }
            } catch (InterruptedException e) {
                // done
            } catch (Throwable t) {
                if (!(t.getCause() instanceof InterruptedException)) {
                    talkFailure.set(t);
                }
            }
        });
        long sent;
        try {
            sent = flood(engine, before.received());
        } finally {
            talker.interrupt();
            talker.join(10_000);
        }
        assertThat(talkFailure.get()).as("a connection through the VIP during the flood").isNull();
        assertThat(talked.get()).as("connections during the flood").isPositive();
        assertThat(env.talk(80, 4)).as("connections after the flood").hasSize(2);
        assertThatThrownBy(() -> env.lab.client().call(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(LabAddresses.VIP, 9), 2000);
            }
            return null;
        })).as("the kernel answers VIP ports without a service").isInstanceOf(ConnectException.class);

        EngineCounters after = engine.counters().get(5, TimeUnit.SECONDS);
        assertThat(engine.forwarding()).as("worker thread alive").isTrue();
        assertThat(after.received() - before.received()).isGreaterThanOrEqualTo(sent);

        Map<ParseResult, Long> malformed = new EnumMap<>(ParseResult.class);
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        long passed = 0;
        long dropped = 0;
        for (HostileFrame f : HostileFrame.values()) {
            if (f.malformed != null) {
                malformed.merge(f.malformed, (long) ROUNDS, Long::sum);
            }
            if (f.drop != null) {
                drops.merge(f.drop, (long) ROUNDS, Long::sum);
            }
            if (f.passed) {
                passed += ROUNDS;
            } else {
                dropped += ROUNDS;
            }
        }
        malformed.forEach((result, n) -> assertThat(after.malformed().get(result) - before.malformed().get(result))
                .as("malformed " + result).isEqualTo(n));
        assertThat(delta(after, before, DropReason.FRAGMENT)).as("fragments to the VIP")
                .isEqualTo(drops.get(DropReason.FRAGMENT));
        assertThat(delta(after, before, DropReason.NOT_SYN)).as("non-SYN segments without a connection")
                .isGreaterThanOrEqualTo(drops.get(DropReason.NOT_SYN));
        assertThat(after.passed() - before.passed()).as("passed to the kernel").isGreaterThanOrEqualTo(passed);
        assertThat(after.dropped() - before.dropped()).as("dropped").isGreaterThanOrEqualTo(dropped);
    }

    private static long delta(EngineCounters after, EngineCounters before, DropReason reason) {
        return after.drops().get(reason) - before.drops().get(reason);
    }

    /** Sends the rounds; returns how many frames went out. */
    private long flood(ForwarderEngine engine, long receivedBefore) throws Exception {
        LabHost router = env.lab.router();
        LabHost director = env.lab.directorA();
        HostileFrame.Addresses addresses = new HostileFrame.Addresses(mac(router.ifaceOn("lan").mac()),
                mac(director.mac()), Ipv4.toInt(EngineLab.ip(LabAddresses.CLIENT)),
                Ipv4.toInt(EngineLab.ip(LabAddresses.VIP)), Ipv4.toInt(EngineLab.ip("10.77.0.99")));
        String lan = router.ifaceOn("lan").name();
        return router.call(() -> {
            SplittableRandom random = new SplittableRandom(5);
            long sent = 0;
            try (Arena arena = Arena.ofConfined();
                    PacketSocket socket = PacketSocket.open(new PacketSocketContext().interfaceName(lan).protocol(0))) {
                MemorySegment frame = arena.allocate(2048);
                for (int round = 0; round < ROUNDS; round++) {
                    for (HostileFrame f : HostileFrame.values()) {
                        frame.fill((byte) 0);
                        int length = f.write(frame, addresses, random);
                        int n = socket.send(frame, length);
                        if (n != length) {
                            throw new IOException("send " + f + " (" + length + " bytes): " + n);
                        }
                        if (++sent % WINDOW == 0) {
                            awaitReceived(engine, receivedBefore + sent - WINDOW / 2);
                        }
                    }
                }
            }
            awaitReceived(engine, receivedBefore + sent);
            return sent;
        });
    }

    /** Waits (at most 5 s) until the worker has received {@code count} frames; the counts tell if it never does. */
    private static void awaitReceived(ForwarderEngine engine, long count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engine.counters().get(5, TimeUnit.SECONDS).received() < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static long mac(String text) {
        return Long.parseLong(text.replace(":", ""), 16);
    }
}
