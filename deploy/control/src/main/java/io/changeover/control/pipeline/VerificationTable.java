package io.changeover.control.pipeline;

import java.io.PrintStream;
import java.util.List;

import io.changeover.verify.CollectionReport;
import io.changeover.verify.Difference;

/** Prints verification results as a table, followed by the first differences of each collection. */
public final class VerificationTable {
    private VerificationTable() {
    }

    public static void print(List<CollectionReport> reports, PrintStream out) {
        String row = "%-20s %9s %9s %9s %8s %8s %9s %8s %8s %8s %8s %8s%n";
        out.printf(row, "target collection", "source", "expected", "target", "missing", "extra", "different",
                "dangling", "blob-mis", "blob-alt", "rejected", "rechecked");
        for (CollectionReport r : reports) {
            out.printf(row, r.target(), r.sourceCount(), r.expectedCount(), r.targetCount(), r.missing(), r.extra(),
                    r.different(), r.dangling(), r.blobMissing(), r.blobAltered(), r.rejected(), r.resolved());
        }
        for (CollectionReport r : reports) {
            for (Difference d : r.samples()) {
                out.println("  " + r.target() + ": " + d.describe());
            }
            long unshown = r.mismatches() - r.samples().size();
            if (unshown > 0) {
                out.println("  " + r.target() + ": ... and " + unshown + " more");
            }
        }
    }
}
