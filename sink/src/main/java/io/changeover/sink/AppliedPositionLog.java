package io.changeover.sink;

import io.changeover.transform.format.SourcePosition;

/** Where the sink records, per target collection, the source position it has applied up to (status, cutover). */
public interface AppliedPositionLog {
    void applied(String collection, SourcePosition position);
}
