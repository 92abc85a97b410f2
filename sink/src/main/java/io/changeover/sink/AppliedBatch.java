package io.changeover.sink;

import java.util.List;

import io.changeover.transform.format.SourcePosition;

/**
 * What one bulk write did, as acknowledged by the target.
 *
 * @param collection   target collection written
 * @param records      records of the batch as read, before collapsing
 * @param upserts      documents replaced or inserted
 * @param deletes      delete operations sent (a delete of an absent document counts too)
 * @param stale        records refused because the target already holds a newer state of their document
 * @param rejected     records the target refused for their content (data errors), for the dead-letter topic
 * @param conflicts    records a unique secondary index still refused after the rest of the batch was written: another
 *                     document holds the value, usually until a later record moves it away; to be tried again
 * @param lastPosition highest source position among the records written
 */
public record AppliedBatch(String collection, int records, int upserts, int deletes, int stale,
                           List<Rejected> rejected, List<Rejected> conflicts, SourcePosition lastPosition) {

    public AppliedBatch {
        rejected = List.copyOf(rejected);
        conflicts = List.copyOf(conflicts);
    }

    /** A record the target refused for its content, and why. */
    public record Rejected(OutputRecord record, String reason) {
    }
}
