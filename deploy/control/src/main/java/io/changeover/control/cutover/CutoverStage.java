package io.changeover.control.cutover;

import java.time.Duration;

/** One explicit stage of a cutover: it passes, or throws {@link CutoverAbort} with a reason an operator can act on. */
public interface CutoverStage {

    /** Short name shown as the stage passes ("lag gate", "fence", ...). */
    String name();

    /** What the stage does, for {@code --dry-run}. */
    String describe(CutoverContext context);

    /** Whether the stage could pass now, measured without changing anything, for {@code --dry-run}. */
    String readiness(CutoverContext context);

    /** Longest the stage may take. */
    Duration timeout(CutoverOptions options);

    /** Runs the stage; returns a one-line summary of what it found. */
    String run(CutoverContext context, Deadline deadline);
}
