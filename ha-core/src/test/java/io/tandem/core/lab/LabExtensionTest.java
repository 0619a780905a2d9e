package io.tandem.core.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A {@link LabExtension} registered with options of its own: one lab for the class, its nested classes included. */
@LabTest
class LabExtensionTest {
    @RegisterExtension
    static final LabExtension LAB = new LabExtension(() -> LabOptions.defaults().withRealServers(0).withDirectors(false));

    private static final AtomicReference<Lab> SEEN_BEFORE_ALL = new AtomicReference<>();

    @BeforeAll
    static void rememberTheLab(Lab lab) {
        SEEN_BEFORE_ALL.set(lab);
    }

    @Test
    void optionsOfTheRegistrationAreUsed(Lab lab) throws IOException {
        assertThat(lab).isSameAs(SEEN_BEFORE_ALL.get());
        assertThat(lab.hosts()).extracting(LabHost::name).containsExactly("client", "router");
        assertThat(LabNamespaces.ofLab(lab.prefix())).hasSize(3);
        assertThat(lab.client().ping(LabAddresses.ROUTER_LAN, java.time.Duration.ofSeconds(3))).isTrue();
    }

    @Nested
    class NestedClass {
        @Test
        void sharesTheOuterLab(Lab lab) {
            assertThat(lab).isSameAs(SEEN_BEFORE_ALL.get());
        }
    }
}
