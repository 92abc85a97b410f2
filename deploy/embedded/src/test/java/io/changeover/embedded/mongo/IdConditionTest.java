package io.changeover.embedded.mongo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import de.bwaldvogel.mongo.bson.Document;

class IdConditionTest {

    private static Document in(Object... ids) {
        return new Document("$in", Arrays.asList(ids));
    }

    @Test
    void takesIdEqualityAndInAtTheTopLevelAndInsideAnd() {
        assertEquals(new Document("_id", 7), IdCondition.impliedBy(new Document("_id", 7).append("group", 1)));
        assertEquals(new Document("_id", in(1, 2)),
            IdCondition.impliedBy(new Document("_id", in(1, 2)).append("$or", List.of(new Document("a", 1)))));
        Document nested = new Document("$and", List.of(new Document("group", 1),
            new Document("$and", List.of(new Document("_id", in("a", "b"))))));
        assertEquals(new Document("_id", in("a", "b")), IdCondition.impliedBy(nested));
        Document key = new Document("c", "jobs").append("id", 3);
        assertEquals(new Document("_id", key), IdCondition.impliedBy(new Document("_id", key).append("pos", 1)));
    }

    @Test
    void leavesConditionsTheIndexCouldMissToTheScan() {
        assertNull(IdCondition.impliedBy(new Document("_id", new Document("$gt", 3)).append("a", 1)));
        assertNull(IdCondition.impliedBy(new Document("_id", null).append("a", 1)));
        assertNull(IdCondition.impliedBy(new Document("_id", Pattern.compile("^a")).append("a", 1)));
        assertNull(IdCondition.impliedBy(new Document("_id", in(1, Pattern.compile("^a"))).append("a", 1)));
        assertNull(IdCondition.impliedBy(new Document("_id", in(1, null)).append("a", 1)));
        assertNull(IdCondition.impliedBy(new Document("_id", in(1, 2).append("$ne", 2)).append("a", 1)));
        assertNull(IdCondition.impliedBy(new Document("_id", List.of(1, 2)).append("a", 1)));
        assertNull(IdCondition.impliedBy(new Document("$or", List.of(new Document("_id", 1), new Document("a", 1)))));
        assertNull(IdCondition.impliedBy(new Document("a", 1)));
    }

    @Test
    void aQueryOnIdAloneIsLeftToMongoJavaServer() {
        assertTrue(IdCondition.isOnlyId(new Document("_id", in(1, 2))));
        assertFalse(IdCondition.isOnlyId(new Document("_id", 1).append("a", 1)));
    }
}
