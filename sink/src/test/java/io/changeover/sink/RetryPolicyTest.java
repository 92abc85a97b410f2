package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.mongodb.MongoSocketReadException;
import com.mongodb.ServerAddress;

class RetryPolicyTest {
    private final List<Long> waits = new ArrayList<>();
    private final RetryPolicy policy = new RetryPolicy(100, 1_000, 5_000, waits::add);

    @Test
    void retriesARetriableErrorWithGrowingJitteredWaitsUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();

        String result = policy.run("write", () -> {
            if (calls.incrementAndGet() < 6) {
                throw new MongoSocketReadException("connection reset", new ServerAddress());
            }
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(waits).hasSize(5);
        long[] ceilings = {100, 200, 400, 800, 1_000};
        for (int i = 0; i < waits.size(); i++) {
            assertThat(waits.get(i)).isBetween(ceilings[i] / 2, ceilings[i]);
        }
    }

    @Test
    void givesUpAfterTheBoundWithTheLastError() {
        assertThatThrownBy(() -> policy.run("write to 'jobs'", () -> {
            throw new MongoSocketReadException("connection reset", new ServerAddress());
        })).isInstanceOf(SinkWriteException.class).hasMessageContaining("write to 'jobs'")
                .hasMessageContaining("connection reset");
        assertThat(waits.stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(5_000);
    }

    @Test
    void anErrorOutsideTheRetriableSetIsThrownAtOnce() {
        assertThatThrownBy(() -> policy.run("write", () -> {
            throw new IllegalStateException("bug");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(waits).isEmpty();
    }
}
