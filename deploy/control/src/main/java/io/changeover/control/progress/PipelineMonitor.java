package io.changeover.control.progress;

import java.util.Map;

import org.apache.kafka.clients.admin.Admin;


import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.lag.LagReport;
import io.changeover.control.source.SourceAccess;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.capture.CaptureStatus;
import io.changeover.capture.CapturePhase;
import io.changeover.capture.CollectionProgress;
import io.changeover.sink.SinkStatus;
import io.changeover.transform.format.SourcePosition;

/**
 * Watches a running pipeline: snapshot progress, documents per second through the sink, and every stage's lag;
 * renders them as one progress line.
 */
public final class PipelineMonitor implements AutoCloseable {
    private final Pipeline pipeline;
    private final ProgressPrinter printer;
    private final Admin admin;
    private final SourceAccess source;
    private final LagMonitor lag;
    private long lastWritten;
    private long lastAt = System.nanoTime();
    private double docsPerSecond;
    private LagReport lastLag;
    private String suffix = "";

    private PipelineMonitor(Pipeline pipeline, ProgressPrinter printer) {
        this.pipeline = pipeline;
        this.printer = printer;
        this.admin = Admin.create(Map.copyOf(pipeline.spec().kafka()));
        this.source = SourceAccess.open(pipeline.spec());
        this.lag = new LagMonitor(pipeline.spec(), admin, source, CapturePosition.of(pipeline.spec(), pipeline.capture()));
    }

    public static PipelineMonitor open(Pipeline pipeline, ProgressPrinter printer) {
        return new PipelineMonitor(pipeline, printer);
    }

    /** Extra text at the end of the progress line (the demo shows its writer there). */
    public void suffix(String text) {
        this.suffix = text;
    }

    /** Measures lag and throughput now and redraws the progress line. */
    public LagReport refresh() {
        lastLag = lag.measure();
        SinkStatus sink = pipeline.sinkStatus();
        long written = sink.documentsWritten() + sink.documentsDeleted();
        long now = System.nanoTime();
        double seconds = (now - lastAt) / 1e9;
        if (seconds > 0.2) {
            docsPerSecond = (written - lastWritten) / seconds;
            lastWritten = written;
            lastAt = now;
        }
        printer.update(line(pipeline.captureStatus(), lastLag), System.currentTimeMillis());
        return lastLag;
    }

    /** Measures lag without redrawing. */
    public LagReport measureLag() {
        return lag.measure();
    }

    public ProgressPrinter printer() {
        return printer;
    }

    /** Fraction of the snapshot done (snapshot records over the estimated source count), 0..1. */
    public static double snapshotFraction(CaptureStatus capture) {
        long total = 0;
        long done = 0;
        for (CollectionProgress p : capture.collections()) {
            total += Math.max(0, p.estimatedCount());
            done += p.snapshotRecords();
        }
        if (total == 0) {
            return capture.phase() == CapturePhase.STREAMING ? 1 : 0;
        }
        return Math.min(1.0, (double) done / total);
    }

    private String line(CaptureStatus capture, LagReport lagReport) {
        long snapshotted = capture.collections().stream().mapToLong(CollectionProgress::snapshotRecords).sum();
        String snapshot = capture.phase() == CapturePhase.SNAPSHOT || capture.phase() == CapturePhase.STARTING
                ? String.format("snapshot %3.0f%% (%,d)", 100 * snapshotFraction(capture), snapshotted)
                : String.format("snapshot done (%,d), streaming", snapshotted);
        double seconds = lagReport.seconds();
        String lag = capture.lastPosition().equals(SourcePosition.ZERO) || seconds < 0 ? "starting"
                : String.format("%.1f s", seconds);
        return String.format("%s | %,6.0f docs/s | lag %s, %,d changes (transform %,d, sink %,d)%s", snapshot, docsPerSecond,
                lag, lagReport.changes(), lagReport.held().transform().changes(), lagReport.held().sink().changes(), suffix);
    }

    @Override
    public void close() {
        lag.close();
        admin.close();
        source.close();
    }
}
