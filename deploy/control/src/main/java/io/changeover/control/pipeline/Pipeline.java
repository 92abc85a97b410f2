package io.changeover.control.pipeline;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.capture.CaptureConfig;
import io.changeover.capture.CaptureStatus;
import io.changeover.capture.ChangeStreamCapture;
import io.changeover.sink.SinkRunner;
import io.changeover.sink.SinkStatus;
import io.changeover.transform.TransformRunner;
import io.changeover.transform.spec.MigrationSpec;

/**
 * The three running stages of one migration in this process: capture, transform, sink. They share nothing but Kafka;
 * running them together is a convenience (each can run in its own process with the same spec).
 *
 * <p>Started downstream first (sink, transform, capture) so nothing waits on a consumer that is not there yet; closed
 * upstream first (capture, transform, sink) so each stage can hand on what it has before the next one stops.
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    private final MigrationSpec spec;
    private SinkRunner sink;
    private TransformRunner transform;
    private ChangeStreamCapture capture;

    private Pipeline(MigrationSpec spec) {
        this.spec = spec;
    }

    public static Pipeline start(MigrationSpec spec) {
        Pipeline pipeline = new Pipeline(spec);
        try {
            pipeline.sink = SinkRunner.start(spec);
            pipeline.transform = TransformRunner.start(spec);
            pipeline.capture = new ChangeStreamCapture(spec, CaptureConfig.from(spec));
            pipeline.capture.start();
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        }
        LOG.info("pipeline of migration '{}' started", spec.name());
        return pipeline;
    }

    public MigrationSpec spec() {
        return spec;
    }

    public CaptureStatus captureStatus() {
        return capture.status();
    }

    public ChangeStreamCapture capture() {
        return capture;
    }

    public SinkStatus sinkStatus() {
        return sink.status();
    }

    public String transformState() {
        return transform.state().toString();
    }

    /** The first stage that stopped with an error, named, if any did. */
    public Optional<String> failure() {
        if (capture != null && capture.failure().isPresent()) {
            return Optional.of("capture failed: " + describe(capture.failure().get()));
        }
        if (transform != null && transform.failure().isPresent()) {
            return Optional.of("transform failed: " + describe(transform.failure().get()));
        }
        if (sink != null && sink.failure().isPresent()) {
            return Optional.of("sink failed: " + describe(sink.failure().get()));
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        closeQuietly(capture, "capture");
        closeQuietly(transform, "transform");
        closeQuietly(sink, "sink");
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private static void closeQuietly(AutoCloseable stage, String name) {
        if (stage == null) {
            return;
        }
        try {
            stage.close();
        } catch (Exception e) {
            LOG.warn("{} did not close cleanly", name, e);
        }
    }
}
