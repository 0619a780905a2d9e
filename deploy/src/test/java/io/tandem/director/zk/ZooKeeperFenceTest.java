package io.tandem.director.zk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tandem.core.config.model.ZooKeeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two directors' fences on an embedded ZooKeeper (curator-test's TestingServer, a real server in this
 * JVM): the line, the epochs, a holder whose session ends, and both policies when the server goes away.
 */
class ZooKeeperFenceTest {
    private static final String LEASE = "vrrp-51";
    private final List<AutoCloseable> closing = new ArrayList<>();
    private TestingServer server;

    private record Director(ZooKeeperSession session, ZooKeeperFence fence, List<String> heard) {
    }

    private Director director(ZooKeeper.Policy policy) {
        ZooKeeper config = new ZooKeeper(server.getConnectString(), Duration.ofSeconds(2), true, policy, "/tandem");
        ZooKeeperSession session = ZooKeeperSession.start(config);
        ZooKeeperFence fence = new ZooKeeperFence(session, "test");
        List<String> heard = new CopyOnWriteArrayList<>();
        fence.listen((lease, held, reason) -> heard.add(lease + " " + (held ? "held" : "lost")));
        closing.add(session);
        closing.add(fence);
        return new Director(session, fence, heard);
    }

    private void startServer() throws Exception {
        // tickTime 200 ms: the server accepts session timeouts from 0.4 s to 4 s
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 200, -1), true);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void theFirstInLineHoldsAndTheNextTakesOverWhenItLeaves() throws Exception {
        startServer();
        Director a = director(ZooKeeper.Policy.FAIL_OPEN);
        Director b = director(ZooKeeper.Policy.FAIL_OPEN);
        await("a connected", a.session()::connected);
        await("b connected", b.session()::connected);
        a.fence().want(LEASE, "VI_1");
        await("a holds", () -> a.fence().holds(LEASE));
        long epochA = a.fence().epoch();
        assertThat(epochA).isPositive();
        b.fence().want(LEASE, "VI_1");
        await("b in line", () -> b.fence().queued(LEASE));
        assertThat(b.fence().holds(LEASE)).isFalse();
        assertThat(b.fence().epoch()).isEqualTo(-1);
        long released = System.nanoTime();
        a.fence().unwant(LEASE, "VI_1");
        await("b holds", () -> b.fence().holds(LEASE));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released)).as("handover ms").isLessThan(1000);
        assertThat(a.fence().holds(LEASE)).isFalse();
        assertThat(b.fence().epoch()).isGreaterThan(epochA);
        await("b told", () -> b.heard().equals(List.of(LEASE + " held")));
        assertThat(b.fence().status()).containsKey(LEASE);
    }

    @Test
    void aClosedSessionHandsTheLeaseOverAtOnce() throws Exception {
        startServer();
        Director a = director(ZooKeeper.Policy.FAIL_OPEN);
        Director b = director(ZooKeeper.Policy.FAIL_OPEN);
        a.fence().want(LEASE, "VI_1");
        await("a holds", () -> a.fence().holds(LEASE));
        b.fence().want(LEASE, "VI_1");
        await("b in line", () -> b.fence().queued(LEASE));
        long closed = System.nanoTime();
        a.session().close(); // the process exits: its session closes with it
        await("b holds", () -> b.fence().holds(LEASE));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed)).as("handover ms").isLessThan(1000);
    }

    @Test
    void failClosedRevokesWhenTheServerGoesAndOneHolderWhenItComesBack() throws Exception {
        startServer();
        Director a = director(ZooKeeper.Policy.FAIL_CLOSED);
        Director b = director(ZooKeeper.Policy.FAIL_CLOSED);
        a.fence().want(LEASE, "VI_1");
        await("a holds", () -> a.fence().holds(LEASE));
        b.fence().want(LEASE, "VI_1");
        await("b in line", () -> b.fence().queued(LEASE));
        long stopped = System.nanoTime();
        server.stop();
        await("a revoked", () -> !a.fence().holds(LEASE));
        await("a told", () -> a.heard().size() == 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)).as("revoked after ms")
                .isLessThan(2000);
        assertThat(a.heard()).containsExactly(LEASE + " held", LEASE + " lost");
        assertThat(b.fence().holds(LEASE)).isFalse();
        assertThat(a.session().stateName()).isIn("suspended", "lost");
        server.restart();
        await("one holder again", () -> a.fence().holds(LEASE) ^ b.fence().holds(LEASE));
        Thread.sleep(500);
        assertThat(a.fence().holds(LEASE) ^ b.fence().holds(LEASE)).isTrue();
    }

    @Test
    void withoutAnyServerFailOpenGrantsOnlyAfterTheStartWindow() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nobody listens there
        }
        ZooKeeper config = new ZooKeeper("127.0.0.1:" + port, Duration.ofSeconds(1), true, ZooKeeper.Policy.FAIL_OPEN,
                "/tandem");
        ZooKeeperSession session = ZooKeeperSession.start(config);
        ZooKeeperFence fence = new ZooKeeperFence(session, "test");
        closing.add(session);
        closing.add(fence);
        long start = System.nanoTime();
        fence.want(LEASE, "VI_1");
        Thread.sleep(1500);
        assertThat(fence.holds(LEASE)).as("a slow first connection is no reason to take mastership").isFalse();
        await("granted fail-open", () -> fence.holds(LEASE));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("granted after ms")
                .isGreaterThanOrEqualTo(3000);
        assertThat(fence.epoch()).isEqualTo(1);
    }

    @Test
    void failOpenKeepsTheHolderWhileTheServerIsGone() throws Exception {
        startServer();
        Director a = director(ZooKeeper.Policy.FAIL_OPEN);
        a.fence().want(LEASE, "VI_1");
        await("a holds", () -> a.fence().holds(LEASE));
        long epoch = a.fence().epoch();
        server.stop();
        await("a suspended", () -> !a.session().connected());
        Thread.sleep(3000); // past the session timeout: LOST
        assertThat(a.fence().holds(LEASE)).isTrue();
        assertThat(a.heard()).containsExactly(LEASE + " held");
        // a router that claims now is granted (plain VRRP), with an epoch above every one seen
        a.fence().want("vrrp-52", "VI_2");
        await("open grant", () -> a.fence().holds("vrrp-52"));
        assertThat(a.fence().epoch()).isGreaterThan(epoch);
        server.restart();
        await("reconnected", a.session()::connected);
        await("back in line", () -> a.fence().queued(LEASE));
        assertThat(a.fence().holds(LEASE)).isTrue();
    }
}
