package io.changeover.demo.sample;

import java.util.Optional;

import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * One sample job as the source holds it: the {@code jobs} document and, for a job whose {@code pssm} was lost in an
 * earlier refactor, the matrix recovered into the side collection ({@link SampleDataset#MATRICES}, same {@code _id}).
 *
 * @param document the job
 * @param matrix   {@code {_id, pssm}} in the side collection, or null when the job carries its own {@code pssm}
 */
public record SampleJob(BsonDocument document, BsonDocument matrix) {

    /** The recovered matrix, if the job's own {@code pssm} was lost. */
    public Optional<BsonDocument> recoveredMatrix() {
        return Optional.ofNullable(matrix);
    }

    /** The same payload resubmitted under another {@code _id} (its recovered matrix, if any, under that id too). */
    SampleJob resubmittedAs(BsonValue id) {
        BsonDocument copy = document.clone();
        copy.put("_id", id);
        BsonDocument matrixCopy = null;
        if (matrix != null) {
            matrixCopy = matrix.clone();
            matrixCopy.put("_id", id);
        }
        return new SampleJob(copy, matrixCopy);
    }
}
