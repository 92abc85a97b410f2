package io.changeover.app.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.changeover.app.status.StatusReport.CollectionStatus;
import io.changeover.app.status.StatusReport.StageStatus;

/** The JSON form of a {@link StatusReport} served at {@code /status} (field names documented in docs/status.md). */
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
        ArrayNode collections = root.putArray("collections");
        for (CollectionStatus c : r.collections()) {
            ObjectNode n = collections.addObject();
            n.put("collection", c.collection());
            n.put("target", c.target());
            n.put("estimatedCount", c.estimatedCount());
            n.put("snapshotRecords", c.snapshotRecords());
            n.put("snapshotFraction", c.fraction());
            n.put("snapshotDone", c.snapshotDone());
            n.put("snapshotSecondsLeft", c.etaSeconds());
            n.put("changeEvents", c.changeEvents());
        }
        ArrayNode stages = root.putArray("stages");
        for (StageStatus s : r.stages()) {
            ObjectNode n = stages.addObject();
            n.put("stage", s.stage());
            n.put("lagRecords", s.events());
            n.put("lagSeconds", s.seconds());
            n.put("throughput", s.throughput());
        }
        root.put("lagRecords", r.lagEvents());
        root.put("lagSeconds", r.lagSeconds());
        root.put("throughput", r.throughput());
        root.put("deadLetters", r.deadLetters());
        ObjectNode cutover = root.putObject("cutover");
        cutover.put("allowed", r.cutover().allowed());
        ArrayNode reasons = cutover.putArray("reasons");
        r.cutover().reasons().forEach(reasons::add);
        ArrayNode warnings = root.putArray("warnings");
        r.warnings().forEach(warnings::add);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render status as JSON", e);
        }
    }
}
