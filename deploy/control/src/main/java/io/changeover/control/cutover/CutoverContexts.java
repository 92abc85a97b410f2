package io.changeover.control.cutover;

import java.util.Optional;
import java.util.function.Supplier;

import io.changeover.capture.CaptureOffsetsReader;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.control.status.StatusSources;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/** Builds a {@link CutoverContext} beside a pipeline running in this process, or for one running elsewhere. */
public final class CutoverContexts {
    private CutoverContexts() {
    }

    /** Beside a running pipeline: the capture's live position and the pipeline's failures. */
    public static CutoverContext forPipeline(Pipeline pipeline, StatusSources sources, FenceHook hook, CutoverOptions options) {
        return build(pipeline.spec(), sources, CapturePosition.of(pipeline.spec(), pipeline.capture()), pipeline::failure,
                hook, options);
    }

    /** For a pipeline running elsewhere: the capture position it committed to Kafka. */
    public static CutoverContext remote(MigrationSpec spec, StatusSources sources, FenceHook hook, CutoverOptions options) {
        CaptureOffsetsReader committed = sources.closeWith(new CaptureOffsetsReader(spec.kafka(), Topics.of(spec.name())));
        return build(spec, sources, committed::position, Optional::empty, hook, options);
    }

    /** @param complete how far the capture's output is complete ({@link CapturePosition}) */
    private static CutoverContext build(MigrationSpec spec, StatusSources sources, Supplier<SourcePosition> complete,
                                        Supplier<Optional<String>> failure, FenceHook hook, CutoverOptions options) {
        LagMonitor lag = sources.closeWith(new LagMonitor(spec, sources.admin(), sources.source(), complete));
        return new CutoverContext(spec, sources.source(), sources.target(), lag::measure, complete,
                sources::deadLetters,
                failure, hook, options);
    }
}
