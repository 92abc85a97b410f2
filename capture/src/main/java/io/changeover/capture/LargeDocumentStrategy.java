package io.changeover.capture;

import io.changeover.transform.format.RawRecord;

/**
 * What capture does with a change whose document was too large to travel in its change event ({@link LargeDocuments}):
 * chosen by {@code large.document.policy}.
 */
sealed interface LargeDocumentStrategy permits LargeDocumentFetchStrategy, LargeDocumentDeadLetterStrategy {

    /**
     * @param stub the change as captured, its document a stub with the {@code _id}
     * @param size the document's BSON size in the source
     */
    Outcome resolve(RawRecord.Change stub, int size);

    /** The strategy for a policy name of {@code large.document.policy}. */
    static LargeDocumentStrategy of(String policy, LargeDocumentFetchStrategy.DocumentSource source) {
        return switch (policy) {
            case "fetch" -> new LargeDocumentFetchStrategy(source);
            case "dead-letter" -> new LargeDocumentDeadLetterStrategy();
            default -> throw new IllegalArgumentException("unknown large.document.policy '" + policy
                    + "'; expected fetch or dead-letter");
        };
    }

    /** What becomes of the change. */
    sealed interface Outcome {
    }

    /** Written to the raw topic as this change. */
    record Write(RawRecord.Change change) implements Outcome {
    }

    /** Written to the dead-letter topic, with the reason; the raw topic does not get it. */
    record DeadLetter(RawRecord.Change stub, String reason) implements Outcome {
    }
}
