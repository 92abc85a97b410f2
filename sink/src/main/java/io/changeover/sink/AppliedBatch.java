package io.changeover.sink;

import io.changeover.transform.format.SourcePosition;

/**
 * What one bulk write did, as acknowledged by the target.
 *
 * @param collection   target collection written
 * @param records      records of the batch as read, before collapsing
 * @param upserts      documents replaced or inserted
 * @param deletes      delete operations sent (a delete of an absent document counts too)
 * @param lastPosition highest source position among the records written
 */
public record AppliedBatch(String collection, int records, int upserts, int deletes, SourcePosition lastPosition) {
}
