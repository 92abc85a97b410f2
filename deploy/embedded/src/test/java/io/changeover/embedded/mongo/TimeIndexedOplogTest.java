package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.exception.MongoServerError;

class TimeIndexedOplogTest {

    private static final long START = ClusterClock.pack(1_000, 0);

    @Test
    void readsOnlyEntriesAfterThePositionInTimeOrder() {
        TimeIndexedOplog oplog = new TimeIndexedOplog(100, Long.MAX_VALUE, START);
        oplog.append(entries(1, 5));

        assertEquals(List.of(START + 3, START + 4, START + 5), times(oplog.readAfter(START + 2, 10)));
        assertEquals(List.of(START + 3), times(oplog.readAfter(START + 2, 1)));
        assertEquals(START + 5, oplog.latest());
    }

    @Test
    void trimsTheOldestBeyondCapacityAndReportsLostHistory() {
        TimeIndexedOplog oplog = new TimeIndexedOplog(3, Long.MAX_VALUE, START);
        oplog.append(entries(1, 5));

        assertEquals(3, oplog.size());
        assertEquals(List.of(START + 3, START + 4, START + 5), times(oplog.readAfter(START + 2, 10)));
        MongoServerError lost = assertThrows(MongoServerError.class, () -> oplog.readAfter(START + 1, 10));
        assertEquals(286, lost.getCode());
        assertEquals("ChangeStreamHistoryLost", lost.getCodeName());
    }

    @Test
    void byteBudgetAlsoBoundsTheOplog() {
        long oneEntry = entries(1, 1).get(0).sizeInBytes();
        TimeIndexedOplog oplog = new TimeIndexedOplog(100, 2 * oneEntry, START);
        oplog.append(entries(1, 5));

        assertEquals(2, oplog.size());
        assertDoesNotThrow(() -> oplog.requireRetained(START + 3));
        assertThrows(MongoServerError.class, () -> oplog.requireRetained(START + 2));
    }

    @Test
    void listenersHearEveryAppend() {
        TimeIndexedOplog oplog = new TimeIndexedOplog(100, Long.MAX_VALUE, START);
        AtomicInteger heard = new AtomicInteger();
        oplog.onAppend(heard::incrementAndGet);

        oplog.append(entries(1, 2));
        oplog.append(entries(3, 3));

        assertEquals(2, heard.get());
    }

    private static List<OplogEntry> entries(long from, long to) {
        return LongStream.rangeClosed(from, to)
            .mapToObj(i -> new OplogEntry(START + i, 0, "insert", "db", "coll", new byte[10]))
            .toList();
    }

    private static List<Long> times(List<OplogEntry> entries) {
        return entries.stream().map(OplogEntry::clusterTime).toList();
    }
}
