package io.changeover.demo.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PacerTest {
    private long now = 1_000_000_000L;
    private final List<Long> sleeps = new ArrayList<>();

    private boolean sleep(long nanos) {
        sleeps.add(nanos);
        now += nanos;
        return true;
    }

    @Test
    void sleepsOneIntervalBetweenOperations() throws Exception {
        Pacer pacer = new Pacer(100, () -> now, this::sleep);

        for (int i = 0; i < 5; i++) {
            assertThat(pacer.awaitNext()).isTrue();
        }

        assertThat(sleeps).containsExactly(10_000_000L, 10_000_000L, 10_000_000L, 10_000_000L);
    }

    @Test
    void doesNotSleepWhileBehindButCatchesUpAtMostOneSecond() throws Exception {
        Pacer pacer = new Pacer(10, () -> now, this::sleep);
        pacer.awaitNext();
        now += 5_000_000_000L; // a five-second stall

        int withoutSleeping = 0;
        while (sleeps.isEmpty()) {
            pacer.awaitNext();
            withoutSleeping++;
        }

        assertThat(withoutSleeping - 1).isBetween(10, 11);
    }

    @Test
    void stopsWhenTheSleeperIsWokenToStop() throws Exception {
        Pacer pacer = new Pacer(1, () -> now, nanos -> false);
        pacer.awaitNext();

        assertThat(pacer.awaitNext()).isFalse();
    }

    @Test
    void refusesARateOfZero() {
        assertThatThrownBy(() -> new Pacer(0, () -> now, this::sleep)).hasMessageContaining("rate");
    }
}
