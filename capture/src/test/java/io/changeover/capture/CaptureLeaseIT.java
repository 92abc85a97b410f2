package io.changeover.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.changeover.embedded.kafka.EmbeddedKafka;
import io.changeover.transform.spec.MigrationSpec;

/**
 * One capture process per migration holds the lease; a standby joining does not take it away, and gets it as soon as
 * the holder gives it up. (A holder killed outright is expelled after its session timeout: StageProcessesFaultIT.)
 */
class CaptureLeaseIT {
    private static final Duration SESSION = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aStandbyWaitsWhileTheHolderLivesAndTakesOverWhenItLeaves() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            MigrationSpec spec = TestSpecs.spec("lease", "mongodb://127.0.0.1:1", "legacy", kafka.bootstrapServers(),
                    Map.of(), "jobs");
            CaptureConfig config = CaptureConfig.from(spec);
            AtomicInteger firstLost = new AtomicInteger();
            AtomicInteger secondLost = new AtomicInteger();
            CaptureLease first = CaptureLease.join(spec, config, SESSION, firstLost::incrementAndGet);
            assertThat(first.awaitHeld(WAIT)).as("the only capture holds the lease").isTrue();
            try (CaptureLease second = CaptureLease.join(spec, config, SESSION, secondLost::incrementAndGet)) {
                assertThat(second.awaitHeld(Duration.ofSeconds(8))).as("a standby while the holder lives").isFalse();
                assertThat(first.held()).as("a standby joining does not take the lease away").isTrue();
                assertThat(firstLost).hasValue(0);

                first.close();   // leaves the group: no session timeout to wait for
                assertThat(second.awaitHeld(WAIT)).as("the standby takes over").isTrue();
                assertThat(firstLost).as("giving the lease up on purpose is not losing it").hasValue(0);
                assertThat(secondLost).hasValue(0);
            }
        }
    }
}
