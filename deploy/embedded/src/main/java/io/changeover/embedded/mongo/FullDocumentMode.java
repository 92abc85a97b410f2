package io.changeover.embedded.mongo;

import de.bwaldvogel.mongo.exception.MongoServerError;

/** The {@code fullDocument} option of a change stream: whether update events carry the current document. */
enum FullDocumentMode {
    DEFAULT, UPDATE_LOOKUP;

    private static final int BAD_VALUE = 2;

    static FullDocumentMode parse(Object option) {
        if (option == null || "default".equals(option)) {
            return DEFAULT;
        }
        if ("updateLookup".equals(option) || "whenAvailable".equals(option) || "required".equals(option)) {
            return UPDATE_LOOKUP;
        }
        throw new MongoServerError(BAD_VALUE, "BadValue", "unsupported $changeStream fullDocument option: '" + option
            + "' (supported: default, updateLookup, whenAvailable, required)");
    }

    boolean looksUp() {
        return this == UPDATE_LOOKUP;
    }
}
