package io.changeover.sink;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts records, in read order, into consecutive batches of at most {@code maxRecords} records and
 * {@code maxBytes} value bytes. A record larger than {@code maxBytes} makes a batch of its own.
 */
public final class Batches {
    private Batches() {
    }

    public static List<List<OutputRecord>> split(List<OutputRecord> records, int maxRecords, long maxBytes) {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxRecords and maxBytes must be at least 1, got " + maxRecords
                    + " and " + maxBytes);
        }
        List<List<OutputRecord>> batches = new ArrayList<>();
        List<OutputRecord> current = new ArrayList<>();
        long bytes = 0;
        for (OutputRecord record : records) {
            boolean full = current.size() >= maxRecords || bytes + record.sizeBytes() > maxBytes;
            if (full && !current.isEmpty()) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(record);
            bytes += record.sizeBytes();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
