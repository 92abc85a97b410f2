package io.changeover.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt64;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;

/**
 * A verification's result as a document: written as a JSON report file and stored in the target's metadata
 * collection as {@code verify.result} ({@code docs/metadata.md}).
 */
public final class Reports {
    /** {@code _id} of the latest result in the metadata collection. */
    public static final String RESULT_ID = "verify.result";
    private static final JsonWriterSettings JSON = JsonWriterSettings.builder().outputMode(JsonMode.RELAXED)
            .indent(true).build();

    private Reports() {
    }

    /** The whole result: what was verified, how, when, and per collection. */
    public static BsonDocument result(String migration, VerifyOptions options, List<CollectionReport> reports,
                                      long startedAtMillis, long finishedAtMillis) {
        long mismatches = reports.stream().mapToLong(CollectionReport::mismatches).sum();
        BsonArray collections = new BsonArray();
        reports.forEach(r -> collections.add(collectionTo(r)));
        return new BsonDocument("_id", new BsonString(RESULT_ID))
                .append("kind", new BsonString("verify.result"))
                .append("migration", new BsonString(migration))
                .append("mode", new BsonString(options.mode().name().toLowerCase()))
                .append("options", new BsonString(options.runKey()))
                .append("startedAt", new BsonDateTime(startedAtMillis))
                .append("finishedAt", new BsonDateTime(finishedAtMillis))
                .append("mismatches", new BsonInt64(mismatches))
                .append("passed", BsonBoolean.valueOf(mismatches == 0))
                .append("collections", collections);
    }

    public static void writeJson(BsonDocument result, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, result.toJson(JSON) + System.lineSeparator(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the verification report " + file, e);
        }
    }

    /** Stores {@code result} as the latest verification result in the metadata collection. */
    public static void store(BsonDocument result, MongoDatabase target, String metadataCollection) {
        target.getCollection(metadataCollection, BsonDocument.class)
                .replaceOne(Filters.eq("_id", RESULT_ID), result, new ReplaceOptions().upsert(true));
    }

    static BsonDocument collectionTo(CollectionReport r) {
        BsonArray samples = new BsonArray();
        for (Difference d : r.samples()) {
            BsonArray fields = new BsonArray();
            d.fields().forEach(f -> fields.add(new BsonString(f)));
            samples.add(new BsonDocument("kind", new BsonString(d.kind().name())).append("id", d.id())
                    .append("fields", fields).append("detail", new BsonString(d.detail()))
                    .append("text", new BsonString(d.describe())));
        }
        return new BsonDocument("target", new BsonString(r.target()))
                .append("source", new BsonInt64(r.sourceCount())).append("expected", new BsonInt64(r.expectedCount()))
                .append("targetCount", new BsonInt64(r.targetCount())).append("missing", new BsonInt64(r.missing()))
                .append("extra", new BsonInt64(r.extra())).append("different", new BsonInt64(r.different()))
                .append("dangling", new BsonInt64(r.dangling())).append("blobMissing", new BsonInt64(r.blobMissing()))
                .append("blobAltered", new BsonInt64(r.blobAltered())).append("rejected", new BsonInt64(r.rejected()))
                .append("resolvedOnRecheck", new BsonInt64(r.resolved()))
                .append("mismatches", new BsonInt64(r.mismatches())).append("samples", samples);
    }

    static CollectionReport collectionFrom(BsonDocument d) {
        List<Difference> samples = new ArrayList<>();
        for (BsonValue v : d.getArray("samples", new BsonArray())) {
            BsonDocument s = v.asDocument();
            List<String> fields = s.getArray("fields").stream().map(f -> f.asString().getValue()).toList();
            samples.add(new Difference(Difference.Kind.valueOf(s.getString("kind").getValue()), s.get("id"), fields,
                    s.getString("detail").getValue()));
        }
        return new CollectionReport(d.getString("target").getValue(), n(d, "source"), n(d, "expected"),
                n(d, "targetCount"), n(d, "missing"), n(d, "extra"), n(d, "different"), n(d, "dangling"),
                n(d, "blobMissing"), n(d, "blobAltered"), n(d, "rejected"), n(d, "resolvedOnRecheck"), samples);
    }

    private static long n(BsonDocument d, String key) {
        return d.isNumber(key) ? d.getNumber(key).longValue() : 0;
    }
}
