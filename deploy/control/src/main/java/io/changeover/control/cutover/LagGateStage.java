package io.changeover.control.cutover;

import java.time.Duration;

import io.changeover.control.lag.LagReport;
import io.changeover.control.status.LagThreshold;

/** Stage 1: waits until the total lag is under the threshold, so the fence that follows is short. */
public final class LagGateStage implements CutoverStage {

    @Override
    public String name() {
        return "lag gate";
    }

    @Override
    public String describe(CutoverContext context) {
        return "wait until lag is at most " + context.options().threshold()
                + (context.options().allowDeadLetters() ? " (dead letters allowed)" : " and no dead letters");
    }

    @Override
    public String readiness(CutoverContext context) {
        String missing = missing(context.lag(), deadLetters(context), context.options().threshold());
        return missing == null ? "ready now" : "not ready: " + missing;
    }

    @Override
    public Duration timeout(CutoverOptions options) {
        return options.lagTimeout();
    }

    @Override
    public String run(CutoverContext context, Deadline deadline) {
        LagThreshold threshold = context.options().threshold();
        LagReport[] last = new LagReport[1];
        deadline.await(context.options().poll(), () -> {
            last[0] = context.lag();
            return missing(last[0], deadLetters(context), threshold);
        }, context::checkPipeline, "waiting for lag under " + threshold);
        return last[0].describe();
    }

    private static long deadLetters(CutoverContext context) {
        return context.options().allowDeadLetters() ? 0 : context.deadLetters();
    }

    /** What keeps the gate shut, or null when it is open. */
    static String missing(LagReport lag, long deadLetters, LagThreshold threshold) {
        if (deadLetters > 0) {
            return deadLetters + " record(s) in the dead-letter topic are not in the target";
        }
        long events = lag.transform().events() + lag.sink().events();
        double seconds = lag.seconds();   // the oldest change not in the target, the capture's lag included
        if (seconds < 0) {
            return lag.describe() + ": the age of the oldest change held is unknown: " + lag.unknownBecause();
        }
        return threshold.admits(events, seconds) ? null : lag.describe() + " is above " + threshold;
    }
}
