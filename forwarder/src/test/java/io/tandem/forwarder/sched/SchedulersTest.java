package io.tandem.forwarder.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulersTest {

    private static Destinations weights(int... weights) {
        Destinations d = new Destinations(weights.length);
        for (int i = 0; i < weights.length; i++) {
            d.add(100 + i, weights[i]);
        }
        return d;
    }

    private static int[] spread(Scheduler s, Destinations d, int flows) {
        int[] count = new int[d.size()];
        for (int f = 0; f < flows; f++) {
            int i = s.select(d, f * 7919, f, 0);
            count[i]++;
        }
        return count;
    }

    @Test
    void roundRobinTakesTurnsAndSkipsDrained() {
        Destinations d = weights(1, 0, 5);
        Scheduler rr = new RoundRobinScheduler();
        assertThat(List.of(rr.select(d, 0, 0, 0), rr.select(d, 0, 0, 0), rr.select(d, 0, 0, 0)))
                .containsExactly(0, 2, 0);
    }

    @Test
    void weightedRoundRobinFollowsWeightsAndInterleaves() {
        Destinations d = weights(4, 3, 2);
        Scheduler wrr = new WeightedRoundRobinScheduler();
        StringBuilder order = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            order.append(wrr.select(d, 0, 0, 0));
        }
        // IPVS's interleaving: cw = 4, 3, 2, 1 over destinations with weight >= cw
        assertThat(order.toString()).isEqualTo("001012012");
        assertThat(spread(wrr, d, 9000)).containsExactly(4000, 3000, 2000);
    }

    @Test
    void weightedRoundRobinFollowsWeightChanges() {
        Destinations d = weights(1, 1);
        Scheduler wrr = new WeightedRoundRobinScheduler();
        assertThat(spread(wrr, d, 1000)).containsExactly(500, 500);
        d.setWeight(0, 0);
        assertThat(spread(wrr, d, 1000)).containsExactly(0, 1000);
        d.setWeight(1, 0);
        assertThat(wrr.select(d, 0, 0, 0)).isEqualTo(Scheduler.NONE);
    }

    @Test
    void leastConnectionCountsActiveAt256TimesInactive() {
        Destinations d = weights(1, 1, 1);
        d.setConnections(0, 1, 0);   // overhead 256
        d.setConnections(1, 0, 200); // overhead 200
        d.setConnections(2, 0, 300); // overhead 300
        assertThat(new LeastConnectionScheduler().select(d, 0, 0, 0)).isEqualTo(1);
    }

    @Test
    void weightedLeastConnectionDividesByWeight() {
        Destinations d = weights(1, 3);
        d.setConnections(0, 1, 0); // 256 / 1
        d.setConnections(1, 2, 0); // 512 / 3
        assertThat(new WeightedLeastConnectionScheduler().select(d, 0, 0, 0)).isEqualTo(1);
        d.setConnections(1, 4, 0); // 1024 / 3 > 256
        assertThat(new WeightedLeastConnectionScheduler().select(d, 0, 0, 0)).isEqualTo(0);
    }

    @Test
    void shortestExpectedDelayAndNeverQueue() {
        Destinations d = weights(1, 4);
        d.setConnections(0, 0, 0); // (0+1)/1 = 1
        d.setConnections(1, 2, 0); // (2+1)/4 = 0.75
        assertThat(new ShortestExpectedDelayScheduler().select(d, 0, 0, 0)).isEqualTo(1);
        // nq prefers the idle server even though its expected delay is larger
        assertThat(new NeverQueueScheduler().select(d, 0, 0, 0)).isEqualTo(0);
        d.setConnections(0, 1, 0); // (1+1)/1 = 2: no idle server left, sed decides
        assertThat(new NeverQueueScheduler().select(d, 0, 0, 0)).isEqualTo(1);
    }

    @Test
    void failoverTakesTheHeaviestAvailable() {
        Destinations d = weights(5, 10, 10);
        Scheduler fo = new WeightedFailoverScheduler();
        assertThat(fo.select(d, 0, 0, 0)).isEqualTo(1);
        d.setOverloaded(1, true);
        assertThat(fo.select(d, 0, 0, 0)).isEqualTo(2);
    }

    @Test
    void overflowFillsTheHeaviestUpToItsWeight() {
        Destinations d = weights(2, 3);
        Scheduler ovf = new OverflowScheduler();
        assertThat(ovf.select(d, 0, 0, 0)).isEqualTo(1);
        d.setConnections(1, 3, 0);
        assertThat(ovf.select(d, 0, 0, 0)).isEqualTo(0);
        d.setConnections(0, 2, 0);
        assertThat(ovf.select(d, 0, 0, 0)).isEqualTo(Scheduler.NONE);
    }

    @Test
    void sourceHashingIsStickyWeightedAndFallsBackOnlyWhenAsked() {
        Destinations d = weights(1, 3);
        Scheduler sh = HashBucketScheduler.sourceHashing(false, false);
        Scheduler shFallback = HashBucketScheduler.sourceHashing(false, true);
        int[] count = new int[2];
        for (int client = 0; client < 20000; client++) {
            int first = sh.select(d, client, 1000, 0);
            assertThat(sh.select(d, client, 2000, 0)).isEqualTo(first);
            count[first]++;
        }
        assertThat(count[1] / (double) count[0]).isBetween(2.5, 3.5);

        int client = 0;
        while (sh.select(d, client, 0, 0) != 0) {
            client++;
        }
        d.setWeight(0, 0);
        assertThat(sh.select(d, client, 0, 0)).isEqualTo(Scheduler.NONE);
        assertThat(shFallback.select(d, client, 0, 0)).isEqualTo(1);
    }

    @Test
    void destinationHashingUsesTheVirtualAddress() {
        Destinations d = weights(1, 1, 1, 1);
        Scheduler dh = HashBucketScheduler.destinationHashing();
        int first = dh.select(d, 1, 1, 0x0A4D0064);
        for (int client = 0; client < 100; client++) {
            assertThat(dh.select(d, client, client, 0x0A4D0064)).isEqualTo(first);
        }
    }

    @Test
    void removedDestinationsKeepTheirIndexAndTheirSlotIsReusedWhenIdle() {
        Destinations d = weights(1, 1, 1);
        d.setConnections(1, 2, 0);
        d.remove(1);
        assertThat(d.available(1)).isFalse();
        assertThat(d.indexOf(101)).isEqualTo(-1);
        assertThat(spread(new RoundRobinScheduler(), d, 100)).containsExactly(50, 0, 50);
        assertThat(spread(HashBucketScheduler.sourceHashing(false, false), d, 100)[1]).isZero();
        assertThat(d.add(200, 1)).as("slot 1 still has connections").isEqualTo(3);
        d.adjustConnections(1, -2, 0);
        assertThat(d.add(201, 1)).as("slot 1 is idle now").isEqualTo(1);
        assertThat(d.identity(1)).isEqualTo(201);
        d.remove(0);
        assertThatThrownBy(() -> d.setWeight(0, 5)).hasMessage("destination 0 was removed");
    }

    @Test
    void createKnowsEveryIpvsadmName() {
        for (String name : Schedulers.NAMES) {
            assertThat(Schedulers.create(name, List.of()).name()).isEqualTo(name);
        }
        assertThatThrownBy(() -> Schedulers.create("lblc", List.of()))
                .hasMessageStartingWith("unknown scheduler: lblc (expected one of [rr, wrr");
    }

    @Test
    void destinationsRejectBadInput() {
        Destinations d = weights(1);
        assertThatThrownBy(() -> d.add(100, 1)).hasMessage("duplicate destination identity: 100");
        assertThatThrownBy(() -> d.setWeight(0, -1))
                .hasMessage("invalid weight: -1 (expected: 0 ~ 2147483647)");
        assertThatThrownBy(() -> d.weight(3))
                .hasMessage("invalid destination index: 3 (expected: 0 ~ 0)");
    }
}
