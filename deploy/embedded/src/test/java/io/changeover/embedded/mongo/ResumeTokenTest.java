package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;

class ResumeTokenTest {

    @Test
    void encodesTheClusterTimeAfterTheTimestampTypeByte() {
        long time = ClusterClock.pack(0x6543_2100L, 7);

        Document token = ResumeToken.of(time);

        assertEquals("8265432100" + "00000007", token.get("_data"));
        assertEquals(time, ResumeToken.clusterTimeOf(token));
    }

    @Test
    void tokensSortLikeTheirClusterTimes() {
        String earlier = (String) ResumeToken.of(ClusterClock.pack(100, 0xFFFF)).get("_data");
        String later = (String) ResumeToken.of(ClusterClock.pack(101, 1)).get("_data");

        assertTrue(earlier.compareTo(later) < 0);
    }

    @Test
    void rejectsTokensNotInThisFormatNamingTheToken() {
        MongoServerError error = assertThrows(MongoServerError.class,
            () -> ResumeToken.clusterTimeOf(new Document("_data", "17a2")));

        assertTrue(error.getMessage().contains("17a2"), error.getMessage());
    }
}
