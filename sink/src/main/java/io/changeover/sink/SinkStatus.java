package io.changeover.sink;

import io.changeover.transform.format.SourcePosition;

/**
 * What the sink has done so far, for the status screen.
 *
 * @param recordsRead          output records read and applied (before collapsing)
 * @param documentsWritten     documents replaced or inserted
 * @param documentsDeleted     delete operations applied
 * @param batches              bulk writes acknowledged by the target
 * @param commits              offset commits made after acknowledged writes
 * @param lastAppliedPosition  highest source position written so far ({@link SourcePosition#ZERO} before any)
 * @param running              whether the sink loop is running
 * @param failure              why the sink stopped, or null
 * @param staleSkipped         records skipped because the target already held a newer state of their document
 * @param deadLettered         records the target refused for their content, sent to the dead-letter topic
 */
public record SinkStatus(long recordsRead, long documentsWritten, long documentsDeleted, long batches, long commits,
                         SourcePosition lastAppliedPosition, boolean running, String failure,
                         long staleSkipped, long deadLettered) {
}
