package io.changeover.control.cutover;

import java.time.Duration;
import java.util.UUID;


import io.changeover.control.lag.LagReport;
import io.changeover.control.source.SourceAccess;
import io.changeover.transform.format.SourcePosition;

/**
 * Stage 3: stops application writes (the operator's hook), writes a fence marker into the source's
 * {@value #FENCE_COLLECTION} collection and waits until the target has every write made before it.
 *
 * <p>The marker's operation time is the fence position. The capture's change stream covers the source database, so
 * its position (carried by change events and by heartbeats) passes the fence position only once every earlier change
 * of the captured collections is in the raw topics; transform and sink lag measured after that, both zero, mean every
 * such change is in the target. The marker collection itself is not in the spec, so it is never migrated.
 */
public final class FenceStage implements CutoverStage {
    public static final String FENCE_COLLECTION = "changeover_fence";

    @Override
    public String name() {
        return "fence";
    }

    @Override
    public String describe(CutoverContext context) {
        return "stop application writes (" + context.fenceHook().describe() + "), "
                + SourceAccess.fenceDescription(context.spec()) + ", wait until the target has every write before it";
    }

    @Override
    public String readiness(CutoverContext context) {
        return "the hook runs only in a real cutover; the source is writable now";
    }

    @Override
    public Duration timeout(CutoverOptions options) {
        return options.fenceTimeout();
    }

    @Override
    public String run(CutoverContext context, Deadline deadline) {
        context.fenced(true);
        try {
            context.fenceHook().fence();
        } catch (Exception e) {
            throw new CutoverAbort("the fence hook failed: " + e.getMessage(), e);
        }
        String id = context.spec().name() + "-" + UUID.randomUUID();
        context.source().writeFence(id);
        SourcePosition fence = context.sourceLatest();
        context.fence(id, fence);
        deadline.await(context.options().poll(), () -> {
            SourcePosition captured = context.capturePosition();
            return captured.compareTo(fence) >= 0 ? null : "the capture is at " + captured + ", the fence at " + fence;
        }, context::checkPipeline, "waiting for the capture to pass the fence");
        LagReport[] last = new LagReport[1];
        deadline.await(context.options().poll(), () -> {
            last[0] = context.lag();
            return last[0].transform().events() == 0 && last[0].sink().events() == 0 ? null : last[0].describe();
        }, context::checkPipeline, "waiting for the target to apply every write before the fence");
        return "fence " + id + " at " + fence + " is in the target; " + last[0].describe();
    }
}
