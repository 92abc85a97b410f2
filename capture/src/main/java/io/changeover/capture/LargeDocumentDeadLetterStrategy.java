package io.changeover.capture;

import io.changeover.transform.format.RawRecord;

/** Policy {@code dead-letter}: a change of a document too large for its event goes to the dead-letter topic. */
record LargeDocumentDeadLetterStrategy() implements LargeDocumentStrategy {

    @Override
    public Outcome resolve(RawRecord.Change stub, int size) {
        return new DeadLetter(stub, "document " + stub.id() + " of '" + stub.collection() + "' is " + size
                + " bytes of BSON, over large.document.bytes; large.document.policy is dead-letter, so it was not"
                + " read (the target keeps its earlier version)");
    }
}
