package io.changeover.transform.format;

import org.bson.BsonValue;

import io.changeover.transform.canonical.CanonicalForm;

/**
 * Document identity under MongoDB's equality, as bytes: ids MongoDB finds equal ({@code 5}, {@code NumberLong(5)},
 * {@code 5.0}, {@code NumberDecimal("5.00")}) give equal bytes, ids it finds different give different bytes. Every
 * store, topic key and lookup that finds a document by a source id uses these bytes; documents are still written with
 * their exact values. The bytes are canonical form v1 ({@code docs/canonical-form.md}), pinned here whatever form a
 * spec's {@code rehash-id} uses, since identity must not change with a spec.
 */
public final class IdentityKeys {
    private static final CanonicalForm V1 = CanonicalForm.named("v1");

    private IdentityKeys() {
    }

    public static byte[] of(BsonValue id) {
        return V1.bytes(id);
    }
}
