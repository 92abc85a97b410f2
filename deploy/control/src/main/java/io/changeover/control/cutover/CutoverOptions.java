package io.changeover.control.cutover;

import java.nio.file.Path;
import java.time.Duration;

import io.changeover.control.status.LagThreshold;

/**
 * How a cutover runs.
 *
 * @param threshold     lag under which stage 1 passes
 * @param lagTimeout    longest wait for the lag gate
 * @param holdFile      while this file exists, stage 2 holds (null: no hold)
 * @param holdTimeout   longest hold
 * @param fenceTimeout  longest for the fence hook plus the wait until the target has every write before the fence
 * @param verifyTimeout longest final verification
 * @param poll          how often waits measure again
 * @param allowDeadLetters whether dead letters may remain (the operator inspected them)
 * @param fullVerification verify every document even when an earlier full verification allows a changed-only one
 */
public record CutoverOptions(LagThreshold threshold, Duration lagTimeout, Path holdFile, Duration holdTimeout,
                             Duration fenceTimeout, Duration verifyTimeout, Duration poll,
                             boolean allowDeadLetters, boolean fullVerification) {

    public static CutoverOptions defaults() {
        return new CutoverOptions(LagThreshold.DEFAULT, Duration.ofMinutes(5), null, Duration.ofHours(1),
                Duration.ofMinutes(2), Duration.ofMinutes(10), Duration.ofMillis(250), false, false);
    }

    public CutoverOptions withHoldFile(Path file) {
        return new CutoverOptions(threshold, lagTimeout, file, holdTimeout, fenceTimeout, verifyTimeout, poll, allowDeadLetters, fullVerification);
    }

    public CutoverOptions withTimeouts(Duration lag, Duration hold, Duration fence, Duration verify) {
        return new CutoverOptions(threshold, lag, holdFile, hold, fence, verify, poll, allowDeadLetters, fullVerification);
    }

    public CutoverOptions withThreshold(LagThreshold t) {
        return new CutoverOptions(t, lagTimeout, holdFile, holdTimeout, fenceTimeout, verifyTimeout, poll, allowDeadLetters, fullVerification);
    }

    public CutoverOptions withFullVerification(boolean full) {
        return new CutoverOptions(threshold, lagTimeout, holdFile, holdTimeout, fenceTimeout, verifyTimeout, poll, allowDeadLetters, full);
    }

    public CutoverOptions withAllowDeadLetters(boolean allow) {
        return new CutoverOptions(threshold, lagTimeout, holdFile, holdTimeout, fenceTimeout, verifyTimeout, poll, allow, fullVerification);
    }
}
