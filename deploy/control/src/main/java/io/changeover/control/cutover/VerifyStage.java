package io.changeover.control.cutover;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import com.mongodb.client.MongoCollection;

import io.changeover.control.pipeline.SpecVerification;
import io.changeover.control.state.MetadataCollection;
import io.changeover.control.state.MetadataDocuments;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.verify.CollectionReport;

/**
 * Stage 4: the final verification, with writes fenced. When an earlier full verification passed (its mark is in the
 * target's metadata), only the documents changed since are verified; otherwise, or with {@code --full-verify},
 * every target collection is compared with the spec applied to the source, and a pass records a new mark. Any
 * mismatch stops the cutover.
 */
public final class VerifyStage implements CutoverStage {

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String describe(CutoverContext context) {
        return context.options().fullVerification() ? "compare every target collection with the spec applied to the source"
                : "verify the documents changed since the last full verification (a full one when there was none)";
    }

    @Override
    public String readiness(CutoverContext context) {
        return "runs after the fence";
    }

    @Override
    public Duration timeout(CutoverOptions options) {
        return options.verifyTimeout();
    }

    @Override
    public String run(CutoverContext context, Deadline deadline) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "changeover-cutover-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            return executor.submit(() -> verify(context)).get(deadline.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CutoverAbort("verification did not finish within " + deadline.timeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CutoverAbort abort) {
                throw abort;
            }
            throw new CutoverAbort("verification failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverAbort("interrupted during verification");
        } finally {
            executor.shutdownNow();
        }
    }

    private static String verify(CutoverContext context) {
        if (context.spec().target().isRelational()) {
            return full(context);   // the changed-only verification reads documents: a PostgreSQL target is verified in full
        }
        MetadataDocuments metadata = MetadataCollection.open(context.target(), context.spec());
        Optional<VerificationMark.Mark> mark = context.options().fullVerification() ? Optional.empty()
                : VerificationMark.load(metadata);
        try (ChangedDocuments changes = new ChangedDocuments(context.spec())) {
            if (mark.isPresent()) {
                return changedOnly(context, changes, mark.get());
            }
            Map<TopicPartition, Long> covered = changes.endOffsets();
            String summary = full(context);
            VerificationMark.save(metadata, context.spec().name(), covered);
            return summary;
        }
    }

    private static String full(CutoverContext context) {
        List<CollectionReport> reports = SpecVerification.run(context.spec(), context.source().documents(), context.target(), false);
        context.verification(reports);
        long mismatches = SpecVerification.mismatches(reports);
        long compared = reports.stream().mapToLong(CollectionReport::expectedCount).sum();
        context.verifiedDocuments(compared);
        if (mismatches > 0) {
            throw new CutoverAbort(mismatches + " mismatch(es) between source and target: " + reports.stream()
                    .filter(r -> r.mismatches() > 0)
                    .map(r -> r.target() + " " + r.mismatches())
                    .collect(Collectors.joining(", ")) + " (run `changeover verify` for the differences)");
        }
        return String.format("full verification: %,d documents compared, 0 mismatches", compared);
    }

    private static String changedOnly(CutoverContext context, ChangedDocuments changes, VerificationMark.Mark mark) {
        Map<String, Set<BsonValue>> ids = changes.since(mark.offsets());
        ChangedVerification.Result result = ChangedVerification.verify(CompiledSpec.compile(context.spec()),
                context.source().documents().getDatabase(context.spec().source().database()),
                context.target().getDatabase(context.spec().target().database()), ids);
        context.verifiedDocuments(result.checked());
        if (result.mismatches() > 0) {
            throw new CutoverAbort(result.mismatches() + " of the " + result.checked() + " documents changed since the full"
                    + " verification of " + mark.at() + " differ: " + String.join("; ", result.samples())
                    + " (run `changeover verify` for a full comparison)");
        }
        return String.format("%,d documents changed since the full verification of %s re-verified%s, 0 mismatches%s",
                result.checked(), mark.at(), result.affected() == 0 ? ""
                        : String.format(" (and %,d whose side or referenced documents changed)", result.affected()),
                result.deadLetters() == 0 ? ""
                        : String.format(" (%,d rejected by the spec: dead letters)", result.deadLetters()));
    }
}
