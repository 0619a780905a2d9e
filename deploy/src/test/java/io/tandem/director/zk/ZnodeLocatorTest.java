package io.tandem.director.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ZnodeLocatorTest {
    @Test
    void parsesOneServerAndAPath() {
        ZnodeLocator l = ZnodeLocator.parse("zk://10.0.0.5:2181/tandem/config");
        assertThat(l.connect()).isEqualTo("10.0.0.5:2181");
        assertThat(l.path()).isEqualTo("/tandem/config");
        assertThat(l).hasToString("zk://10.0.0.5:2181/tandem/config");
    }

    @Test
    void parsesAnEnsembleOfNamesAndIpv6() {
        ZnodeLocator l = ZnodeLocator.parse("zk://zk-1.example.org:2181,10.0.0.6:2182,[fd00::7]:2181/config");
        assertThat(l.connect()).isEqualTo("zk-1.example.org:2181,10.0.0.6:2182,[fd00::7]:2181");
        assertThat(l.path()).isEqualTo("/config");
    }

    @Test
    void tellsALocatorFromAFile() {
        assertThat(ZnodeLocator.isLocator("zk://h:1/p")).isTrue();
        assertThat(ZnodeLocator.isLocator("/etc/keepalived/keepalived.conf")).isFalse();
    }

    @Test
    void refusesABadHost() {
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://bad_host!:2181/tandem/config"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid host: 'bad_host!' (expected: a host name, an IPv4 address or an [IPv6] address)"
                        + " in zk://bad_host!:2181/tandem/config");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5:2181,:2181/tandem/config"))
                .hasMessageStartingWith("invalid host: ''");
    }

    @Test
    void refusesABadOrMissingPort() {
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5:80000/tandem/config"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid port: '80000' of 10.0.0.5 (expected: 1 ~ 65535) in zk://10.0.0.5:80000/tandem/config");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5:0/c")).hasMessageStartingWith("invalid port: '0'");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5:abc/c")).hasMessageStartingWith("invalid port: 'abc'");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5/tandem/config"))
                .hasMessageStartingWith("missing port: '10.0.0.5' (expected: HOST:PORT, as 10.0.0.5:2181)");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://[fd00::7]/c")).hasMessageStartingWith("missing port");
    }

    @Test
    void refusesAMissingOrInvalidPath() {
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5:2181"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing znode path in zk://10.0.0.5:2181 (expected: zk://HOST:PORT[,HOST:PORT]/PATH,"
                        + " PATH as /tandem/config)");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5:2181/")).hasMessageStartingWith("missing znode path");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5:2181/tandem/"))
                .hasMessageStartingWith("invalid znode path: '/tandem/' (expected: an absolute path with no trailing slash");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk://10.0.0.5:2181/tandem//config"))
                .hasMessageStartingWith("invalid znode path: '/tandem//config': ");
        assertThatThrownBy(() -> ZnodeLocator.parse("zk:///tandem/config")).hasMessageStartingWith("missing HOST:PORT");
    }

    @Test
    void refusesAnotherScheme() {
        assertThatThrownBy(() -> ZnodeLocator.parse("http://10.0.0.5:2181/tandem/config"))
                .hasMessage("invalid configuration locator: http://10.0.0.5:2181/tandem/config (expected:"
                        + " zk://HOST:PORT[,HOST:PORT]/PATH)");
    }
}
