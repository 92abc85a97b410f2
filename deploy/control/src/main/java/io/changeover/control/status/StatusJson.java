package io.changeover.control.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.changeover.control.status.StatusReport.CollectionStatus;
import io.changeover.control.status.StatusReport.Snapshot;
import io.changeover.control.status.StatusReport.StageStatus;

/**
 * The JSON form of a {@link StatusReport} served at {@code /status}, and of the {@link LagHistory} served at
 * {@code /history} (field names documented in docs/status.md and docs/lag.md; -1 means unknown).
 */
public final class StatusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusJson() {
    }

    public static String render(StatusReport r) {
        ObjectNode root = JSON.createObjectNode();
        root.put("migration", r.migration());
        root.put("at", r.at().toString());
        ObjectNode state = root.putObject("state");
        state.put("name", r.state());
        state.put("reason", r.stateReason());
        state.put("since", r.stateSince() == null ? null : r.stateSince().toString());
        lag(root.putObject("lag"), r.lag());
        ObjectNode snapshot = root.putObject("snapshot");
        snapshot.put("running", r.snapshotting());
        snapshot.put("fraction", r.snapshotFraction());
        snapshot.put("secondsLeft", r.snapshotSecondsLeft());
        ArrayNode collections = root.putArray("collections");
        for (CollectionStatus c : r.collections()) {
            ObjectNode n = collections.addObject();
            n.put("collection", c.collection());
            ArrayNode targets = n.putArray("targets");
            c.targets().forEach(targets::add);
            if (c.snapshot() != null) {
                snapshot(n.putObject("snapshot"), c.snapshot());
            }
            n.put("changeEvents", c.changeEvents());
            lag(n.putObject("lag"), c.lag());
            ObjectNode detail = n.putObject("detail");
            detail.put("transformChanges", c.detail().transformChanges());
            detail.put("waitingDocuments", c.detail().waitingDocuments());
            detail.put("internalRecords", c.detail().internalRecords());
            detail.put("sinkChanges", c.detail().sinkChanges());
        }
        ArrayNode stages = root.putArray("stages");
        for (StageStatus s : r.stages()) {
            ObjectNode n = stages.addObject();
            n.put("stage", s.stage());
            n.put("lagChanges", s.changes());
            n.put("lagSeconds", s.seconds());
            n.put("internalRecords", s.internalRecords());
            n.put("throughput", s.throughput());
        }
        ArrayNode instances = root.putArray("instances");
        r.instances().forEach(i -> instances.addObject().put("stage", i.stage()).put("id", i.id()).put("host", i.host())
                .put("role", i.role()).put("partitions", i.partitions()));
        ObjectNode dead = root.putObject("deadLetters");
        dead.put("count", r.deadLetters().count());
        ArrayNode latest = dead.putArray("latest");
        r.deadLetters().latest().forEach(d -> latest.addObject().put("stage", d.stage()).put("collection", d.collection())
                .put("reason", d.reason()).put("at", d.at().toString()));
        ObjectNode cutover = root.putObject("cutover");
        cutover.put("allowed", r.cutover().allowed());
        ArrayNode reasons = cutover.putArray("reasons");
        r.cutover().reasons().forEach(reasons::add);
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        return write(root);
    }

    /** The samples kept, oldest first: what the operator page charts. */
    public static String render(LagHistory history) {
        ObjectNode root = JSON.createObjectNode();
        root.put("resolutionSeconds", history.resolution().toSeconds());
        root.put("retentionSeconds", history.retention().toSeconds());
        root.put("rateWindowSeconds", LagHistory.RATE_WINDOW.toSeconds());
        ArrayNode samples = root.putArray("samples");
        for (LagHistory.Sample s : history.samples()) {
            ObjectNode n = samples.addObject();
            n.put("at", s.at().toEpochMilli());
            n.put("snapshotFraction", s.snapshot());
            lag(n, s.overall());
        }
        return write(root);
    }

    private static void lag(ObjectNode n, LagFigures lag) {
        n.put("lagSeconds", lag.seconds());
        n.put("lagChanges", lag.changes());
        n.put("sourceChangesPerSecond", lag.flow().sourcePerSecond());
        n.put("appliedChangesPerSecond", lag.flow().appliedPerSecond());
        n.put("rateWindowSeconds", lag.flow().windowSeconds());
        n.put("timeToZeroSeconds", lag.timeToZeroSeconds());
        n.put("fallingBehind", lag.fallingBehind());
    }

    private static void snapshot(ObjectNode n, Snapshot s) {
        n.put("estimatedCount", s.estimatedCount());
        n.put("records", s.records());
        n.put("fraction", s.fraction());
        n.put("done", s.done());
        n.put("secondsLeft", s.secondsLeft());
    }

    private static String write(ObjectNode root) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render status as JSON", e);
        }
    }
}
