package io.changeover.control.cutover;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Stage 2 (optional): holds while the postpone file exists, so the switch happens when the operator chooses; deleting
 * the file ({@code rm FILE}) releases it.
 */
public final class HoldStage implements CutoverStage {

    @Override
    public String name() {
        return "hold";
    }

    @Override
    public String describe(CutoverContext context) {
        Path file = context.options().holdFile();
        return file == null ? "no hold (--hold-file not given)" : "hold while " + file + " exists; `rm " + file + "` releases it";
    }

    @Override
    public String readiness(CutoverContext context) {
        Path file = context.options().holdFile();
        return file == null || !Files.exists(file) ? "released" : "held: " + file + " exists";
    }

    @Override
    public Duration timeout(CutoverOptions options) {
        return options.holdTimeout();
    }

    @Override
    public String run(CutoverContext context, Deadline deadline) {
        Path file = context.options().holdFile();
        if (file == null) {
            return "no hold";
        }
        deadline.await(context.options().poll(), () -> Files.exists(file) ? "the hold file " + file + " still exists" : null,
                context::checkPipeline, "holding for the operator");
        return String.format("released after %.1f s", deadline.elapsedSeconds());
    }
}
