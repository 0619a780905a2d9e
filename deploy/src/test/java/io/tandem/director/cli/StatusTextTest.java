package io.tandem.director.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tandem status}'s text: the ZooKeeper state, policy and leases when the director has a zookeeper block. */
class StatusTextTest {
    @Test
    void zooKeeperStateAndLeases() {
        Map<String, Object> lease = new LinkedHashMap<>();
        lease.put("held", false);
        lease.put("queued", true);
        lease.put("epoch", -1);
        Map<String, Object> zk = new LinkedHashMap<>();
        zk.put("connect", "10.77.0.1:2181");
        zk.put("state", "connected");
        zk.put("fencing", true);
        zk.put("policy", "fail-closed");
        zk.put("leases", Map.of("vrrp-51", lease));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("state", "BACKUP");
        doc.put("mode", "vrrp");
        doc.put("zookeeper", zk);
        assertThat(StatusCommand.text(doc)).isEqualTo("""
                state: BACKUP (vrrp)
                zookeeper: 10.77.0.1:2181 connected, fencing on, policy fail-closed
                  lease vrrp-51: waiting in line, epoch -1
                """);
    }

    @Test
    void withoutZooKeeperNoLine() {
        assertThat(StatusCommand.text(Map.of("state", "MASTER", "mode", "vrrp"))).isEqualTo("state: MASTER (vrrp)\n");
    }
}
