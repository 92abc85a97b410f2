package io.changeover.transform.canonical;

import java.util.List;

import org.bson.BsonValue;

/**
 * How a BSON value becomes the bytes that a content-derived id ({@code rehash-id}) hashes. A spec names its form
 * ({@code canonical: v1}, the default); a migration keeps the form it started with, since another form gives other
 * ids. Specified in {@code docs/canonical-form.md}.
 */
public sealed interface CanonicalForm permits CanonicalFormV1, LegacyTextCanonicalForm {
    /** The form of new migrations. */
    CanonicalForm DEFAULT = CanonicalFormV1.INSTANCE;

    /** Every form, by version name. */
    List<CanonicalForm> ALL = List.of(CanonicalFormV1.INSTANCE, LegacyTextCanonicalForm.INSTANCE);

    /** The version name written in a spec, e.g. {@code v1}. */
    String version();

    /** The bytes hashed for {@code value}. */
    byte[] bytes(BsonValue value);

    /** The form named {@code version}; an unknown name throws, listing the known ones. */
    static CanonicalForm named(String version) {
        return ALL.stream().filter(f -> f.version().equals(version)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown canonical form '" + version
                        + "'; expected one of: v1 (the default), v0 (for migrations started before v1)"));
    }
}
