package io.changeover.control.cutover;

import java.io.PrintStream;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.control.state.IllegalTransitionException;
import io.changeover.control.state.MigrationState;
import io.changeover.control.state.MigrationStateMachine;
import io.changeover.transform.spec.ConnectionStrings;
import io.changeover.transform.spec.MigrationSpec;

/**
 * Runs a cutover as explicit stages (lag gate, hold, fence, verify, record), reporting each as it passes. A stage
 * that times out or fails aborts the cutover: the operator's unfence hook runs if the source was fenced, the
 * migration returns to streaming with the pipeline still running, and the report says so.
 */
public final class CutoverController {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverController.class);
    private final CutoverContext context;
    private final MigrationStateMachine state;
    private final PrintStream out;
    private final List<CutoverStage> stages;
    private BiConsumer<String, Double> onPassed = (name, seconds) -> { };

    public CutoverController(CutoverContext context, MigrationStateMachine state, PrintStream out) {
        this(context, state, out, stages(context.spec()));
    }

    CutoverController(CutoverContext context, MigrationStateMachine state, PrintStream out, List<CutoverStage> stages) {
        this.context = context;
        this.state = state;
        this.out = out;
        this.stages = List.copyOf(stages);
    }

    /**
     * Lag gate, hold, fence, verify, record; a PostgreSQL target declaring foreign keys has them added and validated
     * between verify and record.
     */
    static List<CutoverStage> stages(MigrationSpec spec) {
        List<CutoverStage> stages = new java.util.ArrayList<>(List.of(new LagGateStage(), new HoldStage(),
                new FenceStage(), new VerifyStage()));
        if (ForeignKeysStage.applies(spec)) {
            stages.add(new ForeignKeysStage());
        }
        stages.add(new RecordStage());
        return stages;
    }

    /** Called with each stage's name and seconds as it passes (the demo times its catch-up with it). */
    public CutoverController onPassed(BiConsumer<String, Double> listener) {
        this.onPassed = listener;
        return this;
    }

    /** Prints the stages a cutover would run and whether each could pass now; changes nothing. */
    public void dryRun() {
        out.println("cutover of migration " + context.spec().name() + " (dry run: nothing is changed); state "
                + state.reload().state());
        for (int i = 0; i < stages.size(); i++) {
            CutoverStage stage = stages.get(i);
            out.printf("  [%d/%d] %-9s %s (timeout %d s)%n", i + 1, stages.size(), stage.name(), stage.describe(context),
                    stage.timeout(context.options()).toSeconds());
            out.printf("        %-9s %s%n", "", stage.readiness(context));
        }
        out.println("  afterwards services should point at: " + pointAt(context.spec()));
    }

    /** Runs the cutover. */
    public CutoverResult run() {
        try {
            state.moveTo(MigrationState.CUTTING_OVER, "cutover started");
        } catch (IllegalTransitionException e) {
            out.println("cutover cannot start: the migration is " + state.state() + " (" + state.current().reason() + ")");
            return new CutoverResult(false, "start", "the migration is " + state.state());
        }
        out.println("cutover of migration " + context.spec().name() + ": " + stages.size() + " stages");
        for (int i = 0; i < stages.size(); i++) {
            CutoverStage stage = stages.get(i);
            String label = String.format("[%d/%d] %s", i + 1, stages.size(), stage.name());
            out.println("  " + label + ": " + stage.describe(context));
            Deadline deadline = new Deadline(stage.timeout(context.options()));
            try {
                String summary = stage.run(context, deadline);
                out.printf("  %s passed in %.1f s: %s%n", label, deadline.elapsedSeconds(), summary);
                onPassed.accept(stage.name(), deadline.elapsedSeconds());
            } catch (CutoverAbort e) {
                return abort(label, e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("cutover stage {} failed", stage.name(), e);
                return abort(label, "failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }
        state.moveTo(MigrationState.CUT_OVER, "cut over at source position " + context.fencePosition());
        out.println("cutover DONE: the target has every write made before the fence and equals the spec applied to the source");
        out.println("services should now point at: " + pointAt(context.spec()));
        return CutoverResult.success();
    }

    private CutoverResult abort(String stage, String reason) {
        String source;
        if (!context.fenced()) {
            source = "the source was not fenced and stays writable";
        } else {
            try {
                context.fenceHook().unfence();
                source = "the source is writable again (unfence hook ran: " + context.fenceHook().describe() + ")";
            } catch (Exception e) {
                LOG.error("unfence hook failed", e);
                source = "WARNING: the unfence hook FAILED (" + e.getMessage() + "): the services may still be unable to write";
            }
        }
        state.moveTo(MigrationState.STREAMING, "cutover aborted at " + stage + ": " + reason);
        out.println("cutover ABORTED at " + stage + ": " + reason);
        out.println("  " + source + "; the pipeline is still running and the migration is streaming again");
        return new CutoverResult(false, stage, reason);
    }

    /** The target services should use: its address (password hidden), database and collections. */
    static String pointAt(MigrationSpec spec) {
        String collections = spec.collections().stream().map(c -> c.source() + " -> " + c.into()).distinct()
                .collect(Collectors.joining(", "));
        return ConnectionStrings.redact(spec.target().uri()) + " database " + spec.target().database() + " (collections " + collections + ")";
    }
}
