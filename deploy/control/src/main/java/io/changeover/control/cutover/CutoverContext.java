package io.changeover.control.cutover;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.mongodb.client.MongoClient;

import io.changeover.control.source.SourceAccess;
import io.changeover.control.lag.LagReport;
import io.changeover.transform.format.SourcePosition;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.verify.CollectionReport;

/**
 * What the cutover stages work with, and what they learn on the way (the fence position, the verification).
 */
public final class CutoverContext {
    private final MigrationSpec spec;
    private final SourceAccess source;
    private final MongoClient target;
    private final Supplier<LagReport> lag;
    private final Supplier<SourcePosition> capturePosition;
    private final LongSupplier deadLetters;
    private final Supplier<Optional<String>> pipelineFailure;
    private final FenceHook fenceHook;
    private final CutoverOptions options;
    private volatile boolean fenced;
    private volatile SourcePosition fencePosition;
    private volatile String fenceId;
    private volatile long verifiedDocuments = -1;
    private volatile List<CollectionReport> verification = List.of();

    /**
     * @param lag             measures every stage's lag (in pipeline order)
     * @param capturePosition the capture's position (live, or as committed to Kafka)
     * @param deadLetters     records in the dead-letter topic
     * @param pipelineFailure a failed stage, when the pipeline runs in this process (empty otherwise)
     */
    public CutoverContext(MigrationSpec spec, SourceAccess source, MongoClient target, Supplier<LagReport> lag,
                          Supplier<SourcePosition> capturePosition, LongSupplier deadLetters,
                          Supplier<Optional<String>> pipelineFailure, FenceHook fenceHook, CutoverOptions options) {
        this.spec = spec;
        this.source = source;
        this.target = target;
        this.lag = lag;
        this.capturePosition = capturePosition;
        this.deadLetters = deadLetters;
        this.pipelineFailure = pipelineFailure;
        this.fenceHook = fenceHook;
        this.options = options;
    }

    public MigrationSpec spec() {
        return spec;
    }

    public SourceAccess source() {
        return source;
    }

    public MongoClient target() {
        return target;
    }

    public LagReport lag() {
        return lag.get();
    }

    public SourcePosition capturePosition() {
        return capturePosition.get();
    }

    public SourcePosition sourceLatest() {
        return source.latest();
    }

    public long deadLetters() {
        return deadLetters.getAsLong();
    }

    public FenceHook fenceHook() {
        return fenceHook;
    }

    public CutoverOptions options() {
        return options;
    }

    /** Aborts the cutover when a pipeline stage has failed. */
    public void checkPipeline() {
        pipelineFailure.get().ifPresent(f -> {
            throw new CutoverAbort("the pipeline failed: " + f);
        });
    }

    public boolean fenced() {
        return fenced;
    }

    void fenced(boolean value) {
        this.fenced = value;
    }

    public SourcePosition fencePosition() {
        return fencePosition;
    }

    public String fenceId() {
        return fenceId;
    }

    void fence(String id, SourcePosition position) {
        this.fenceId = id;
        this.fencePosition = position;
    }

    public long verifiedDocuments() {
        return verifiedDocuments;
    }

    void verifiedDocuments(long n) {
        this.verifiedDocuments = n;
    }

    /** The final verification's per-collection reports (empty before it ran). */
    public List<CollectionReport> verification() {
        return verification;
    }

    void verification(List<CollectionReport> reports) {
        this.verification = List.copyOf(reports);
    }
}
