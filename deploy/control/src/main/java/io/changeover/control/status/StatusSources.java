package io.changeover.control.status;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.admin.Admin;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.control.source.SourceAccess;
import io.changeover.capture.CaptureOffsetsReader;
import io.changeover.control.lag.CapturePosition;
import io.changeover.control.lag.LagMonitor;
import io.changeover.control.pipeline.Pipeline;
import io.changeover.control.state.MetadataCollection;
import io.changeover.control.state.MetadataStateStore;
import io.changeover.control.state.StateStore;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * The clients status needs (Kafka admin, source, target) and the collector built on them: either beside a running
 * pipeline (exact snapshot counts, the capture's live position, stage failures) or from any other host (Kafka
 * offsets, the capture's committed position, the state saved in the target).
 */
public final class StatusSources implements AutoCloseable {
    private final Admin admin;
    private final SourceAccess source;
    private final MongoClient target;
    private final StatusCollector collector;
    private final StateStore state;
    private final DeadLetterCount deadLetters;
    private final LagMonitor lag;
    private final List<AutoCloseable> alsoClosed = new CopyOnWriteArrayList<>();

    private StatusSources(MigrationSpec spec, Pipeline pipeline, ReadinessRule readiness) {
        this.admin = Admin.create(Map.copyOf(spec.kafka()));
        this.source = SourceAccess.open(spec);
        // a PostgreSQL target has no MongoDB client: its metadata is read through JDBC (MetadataCollection.open)
        this.target = spec.target().isRelational() ? null : MongoClients.create(spec.target().uri());
        this.state = new MetadataStateStore(MetadataCollection.open(target, spec), spec.name());
        KafkaOffsets offsets = new KafkaOffsets(admin);
        this.deadLetters = new DeadLetterCount(spec.kafka(), Topics.of(spec.name()).deadLetter());
        SnapshotProgress snapshot;
        if (pipeline != null) {
            this.lag = new LagMonitor(spec, admin, source, CapturePosition.of(spec, pipeline.capture()));
            snapshot = new CaptureSnapshotProgress(pipeline::captureStatus);
        } else {
            CaptureOffsetsReader committed = closeWith(new CaptureOffsetsReader(spec.kafka(), Topics.of(spec.name())));
            this.lag = new LagMonitor(spec, admin, source, committed::position);
            snapshot = new KafkaSnapshotProgress(spec, offsets, source::estimatedCount,
                    () -> StatusCollector.streaming(state.load()));
        }
        this.collector = new StatusCollector(spec, offsets, lag, snapshot,
                () -> new StatusReport.DeadLetters(deadLetters.count(), deadLetters.latest()),
                new StageInstances(admin, Topics.of(spec.name()))::live, state::load,
                pipeline == null ? Optional::empty : pipeline::failure, readiness, Clock.systemUTC(), source::warnings);
    }

    /** Status beside a pipeline running in this process. */
    public static StatusSources forPipeline(Pipeline pipeline, ReadinessRule readiness) {
        return new StatusSources(pipeline.spec(), pipeline, readiness);
    }

    /** Status of a migration running elsewhere. */
    public static StatusSources remote(MigrationSpec spec, ReadinessRule readiness) {
        return new StatusSources(spec, null, readiness);
    }

    public StatusCollector collector() {
        return collector;
    }

    public StateStore stateStore() {
        return state;
    }

    /** Records in the dead-letter topic. */
    public long deadLetters() {
        return deadLetters.count();
    }

    /** Closes {@code resource} (built on these clients) when these sources close. */
    public <T extends AutoCloseable> T closeWith(T resource) {
        alsoClosed.add(resource);
        return resource;
    }

    public Admin admin() {
        return admin;
    }

    public SourceAccess source() {
        return source;
    }

    /** The target's client; null for a PostgreSQL target. */
    public MongoClient target() {
        return target;
    }

    /** Closes everything, even when something fails to close; the first failure is thrown, the others suppressed. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(alsoClosed);
        all.addAll(List.of(deadLetters, lag, admin, source));
        if (target != null) {
            all.add(target);
        }
        RuntimeException failure = null;
        for (AutoCloseable resource : all) {
            try {
                resource.close();
            } catch (Exception e) {
                RuntimeException wrapped = new IllegalStateException("cannot close " + resource + ": " + e.getMessage(), e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
