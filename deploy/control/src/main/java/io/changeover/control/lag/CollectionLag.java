package io.changeover.control.lag;

import java.util.List;

/**
 * What the pipeline holds of one source collection's changes, stage by stage (capture is measured for the whole
 * source: one change stream).
 *
 * @param collection the source collection
 * @param targets    the target collections its changes are written to (none for a side collection read by
 *                   {@code lookup} only)
 * @param transform  raw records of the collection the transform has not consumed
 * @param waiting    documents of the collection the transform holds waiting for {@code remap} answers
 * @param internal   records of the transform's internal topics for the collection ({@code remap}, {@code resolved},
 *                   {@code dedupe}) not consumed: work derived from changes already consumed, not changes themselves
 * @param sink       output records of its target collections the sink has not applied
 */
public record CollectionLag(String collection, List<String> targets, Backlog transform, Backlog waiting, long internal,
                            Backlog sink) {
    public CollectionLag {
        targets = List.copyOf(targets);
    }

    /** Every change of the collection captured and not yet applied. */
    public Backlog pending() {
        return transform.plus(waiting).plus(sink);
    }

    /** Changes held by the transform: its raw records not consumed and its waiting documents. */
    public Backlog transformHeld() {
        return transform.plus(waiting);
    }
}
