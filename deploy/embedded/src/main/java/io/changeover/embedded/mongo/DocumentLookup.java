package io.changeover.embedded.mongo;

import de.bwaldvogel.mongo.bson.Document;

/** Finds the current version of a document by {@code _id}, for {@code fullDocument: "updateLookup"}. */
@FunctionalInterface
interface DocumentLookup {

    /** @return a copy of the document with its stored BSON size, or null if the collection or document does not exist */
    Found findById(String database, String collection, Object id);

    /** A document found, and the size of its BSON as stored. */
    record Found(Document document, int bsonSize) {
    }
}
