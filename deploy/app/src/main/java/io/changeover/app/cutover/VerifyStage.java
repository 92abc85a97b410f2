package io.changeover.app.cutover;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.changeover.app.pipeline.SpecVerification;
import io.changeover.verify.CollectionReport;

/**
 * Stage 4: the final verification, with writes fenced: every target collection compared with the spec applied to the
 * source. Any mismatch stops the cutover.
 */
public final class VerifyStage implements CutoverStage {

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public String describe(CutoverContext context) {
        return "compare every target collection with the spec applied to the source ("
                + context.spec().collections().size() + " source collection(s))";
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
            Future<List<CollectionReport>> future = executor.submit(
                    () -> SpecVerification.run(context.spec(), context.source(), context.target(), false));
            List<CollectionReport> reports = future.get(deadline.timeout().toMillis(), TimeUnit.MILLISECONDS);
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
            return String.format("%,d documents compared, 0 mismatches", compared);
        } catch (TimeoutException e) {
            throw new CutoverAbort("verification did not finish within " + deadline.timeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new CutoverAbort("verification failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverAbort("interrupted during verification");
        } finally {
            executor.shutdownNow();
        }
    }
}
