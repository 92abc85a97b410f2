package io.changeover.embedded.mongo;

import de.bwaldvogel.mongo.bson.Document;

/** Finds the current version of a document by {@code _id}, for {@code fullDocument: "updateLookup"}. */
@FunctionalInterface
interface DocumentLookup {

    /** @return a copy of the document, or null if the collection or the document does not exist */
    Document findById(String database, String collection, Object id);
}
