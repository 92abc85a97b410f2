package io.changeover.demo.sample;

/**
 * Operations a {@link LiveWriter} has had acknowledged, by kind.
 *
 * @param inserts  new jobs inserted
 * @param updates  {@code $set}/{@code $unset} updates (status changes and field edits of jobs, score edits of recovered matrices)
 * @param replaces whole-document replaces
 * @param deletes  jobs deleted
 */
public record LiveWriterCounts(long inserts, long updates, long replaces, long deletes) {
    public long total() {
        return inserts + updates + replaces + deletes;
    }
}
