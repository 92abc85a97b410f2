package io.changeover.transform.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

/** Output keys are compared byte for byte (sink upserts, state stores): the direct path must write the JSON writer's text. */
class CanonicalKeysTest {
    private static final JsonWriterSettings CANONICAL = JsonWriterSettings.builder().outputMode(JsonMode.EXTENDED).build();

    @Test
    void everyKeyIsTheJsonWritersCanonicalText() {
        List<BsonValue> ids = List.of(new BsonObjectId(new ObjectId("65f0a0000000000000000001")), new BsonObjectId(),
                new BsonInt32(0), new BsonInt32(-7), new BsonInt32(Integer.MAX_VALUE), new BsonInt64(Long.MIN_VALUE),
                new BsonInt64(42), new BsonString(""), new BsonString("a3f9c0e1b2"), new BsonString("job-1.2_x:y"),
                new BsonString("with \"quotes\""), new BsonString("back\\slash"), new BsonString("tab\t"),
                new BsonString("é ü 漢字"), new BsonString("\u2028"), new BsonString("space inside"),
                new BsonDouble(1.5), BsonDocument.parse("{a: 1, b: [1, 'x']}"));
        for (BsonValue id : ids) {
            assertThat(new String(OutputRecords.key(id), StandardCharsets.UTF_8)).as(id.toString())
                    .isEqualTo(new BsonDocument("_id", id).toJson(CANONICAL));
            assertThat(OutputRecords.id(OutputRecords.key(id))).isEqualTo(id);
        }
    }

    @Test
    void onlyPlainIdsTakeTheDirectPath() {
        assertThat(CanonicalKeys.of(new BsonString("abc-1"))).isNotNull();
        assertThat(CanonicalKeys.of(new BsonString("a b"))).isNull();
        assertThat(CanonicalKeys.of(new BsonDouble(1))).isNull();
    }
}
