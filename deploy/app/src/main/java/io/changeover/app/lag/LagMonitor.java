package io.changeover.app.lag;

import java.util.List;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;

import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * Measures each stage's lag, in pipeline order so that a report of zero means every source change that existed when
 * the measurement began is in the target:
 * <ol>
 *   <li>capture: the source's latest operation time against how far the capture's output is complete
 *       ({@link CapturePosition});</li>
 *   <li>transform: consumer-group lag of the transform's application id on every topic it reads: raw topics and
 *       the internal remap, resolved and dedupe topics ({@link TransformTopology#inputTopics}); then, counted in it,
 *       the documents it holds waiting for {@code remap} answers ({@link WaitingDocumentsReader}): once their records
 *       are consumed no topic shows them, and a reference cycle may keep them out of the target for the whole
 *       {@code wait};</li>
 *   <li>sink: consumer-group lag of the sink's group on the output topics.</li>
 * </ol>
 */
public final class LagMonitor {
    private final SourceClock sourceClock;
    private final Supplier<SourcePosition> capturePosition;
    private final ConsumerGroupLag groupLag;
    private final Topics topics;
    private final List<String> transformInputs;
    private final List<String> outputTopics;
    private final WaitingDocumentsReader waiting;

    /** @param capturePosition how far the capture's output is complete ({@link CapturePosition#forTransform}) */
    public LagMonitor(MigrationSpec spec, Admin admin, SourceClock sourceClock, Supplier<SourcePosition> capturePosition) {
        CompiledSpec compiled = CompiledSpec.compile(spec);
        this.sourceClock = sourceClock;
        this.capturePosition = capturePosition;
        this.groupLag = new ConsumerGroupLag(admin);
        this.topics = Topics.of(spec.name());
        this.transformInputs = TransformTopology.inputTopics(compiled);
        this.outputTopics = TransformTopology.outputTopics(compiled);
        this.waiting = new WaitingDocumentsReader(spec.kafka(), TransformTopology.remapWaitingTopics(compiled));
    }

    public LagReport measure() {
        SourcePosition latest = sourceClock.latest();
        SourcePosition captured = capturePosition.get();
        StageLag capture = new StageLag("capture", -1, captureSeconds(latest, captured));
        long records = groupLag.lag(topics.transformApplicationId(), transformInputs);
        // after the group's offsets, before the sink's: a wait begins in the transaction that commits the offset of
        // the record that started it, and ends in the one that writes the document's output
        long waitingDocuments = waiting.waiting();
        StageLag transform = new StageLag("transform", records + waitingDocuments, -1);
        StageLag sink = new StageLag("sink", groupLag.lag(topics.sinkGroupId(), outputTopics), -1);
        return new LagReport(capture, transform, sink, waitingDocuments);
    }

    /** Seconds the capture is behind; 0 once it has passed the source's latest operation. */
    static double captureSeconds(SourcePosition latest, SourcePosition captured) {
        if (captured.compareTo(latest) >= 0) {
            return 0;
        }
        // Behind by at least one operation: never report 0 for that, even within the same second.
        return Math.max(0.001, latest.seconds() - captured.seconds());
    }
}
