package io.changeover.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;

import com.mongodb.client.model.ReplaceOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.WriteModel;

import io.changeover.transform.format.SourcePosition;

class ReplacementTest {
    private static final BsonDocument FILTER = PositionGuard.filter(new BsonInt32(1), SourcePosition.of(1000, 5));

    @Test
    void aDocumentWithoutTopLevelDollarNamesIsAPlainReplaceWithUpsert() {
        BsonDocument doc = BsonDocument.parse("{_id: 1, 'a.b': 1, a: '$notAPath', nested: {$add: [1, 2]}}");

        WriteModel<BsonDocument> model = Replacement.upsert(FILTER, new BsonInt32(1), doc);

        assertThat(model).isInstanceOf(ReplaceOneModel.class);
        ReplaceOneModel<?> replace = (ReplaceOneModel<?>) model;
        assertThat(replace.getFilter()).isEqualTo(FILTER);
        assertThat(replace.getReplacement()).isSameAs(doc);
        assertThat(replace.getReplaceOptions().isUpsert()).isTrue();
    }

    @Test
    void aDocumentWithATopLevelDollarNameIsAnUpsertOfTheSameFilterReplacingWithTheLiteralDocument() {
        BsonDocument doc = BsonDocument.parse("{_id: 1, $price: 5, a: '$notAPath'}");

        WriteModel<BsonDocument> model = Replacement.upsert(FILTER, new BsonInt32(1), doc);

        assertThat(model).isInstanceOf(UpdateOneModel.class);
        UpdateOneModel<?> update = (UpdateOneModel<?>) model;
        assertThat(update.getFilter()).isEqualTo(FILTER);
        assertThat(update.getUpdate()).isNull();
        assertThat(update.getUpdatePipeline()).isEqualTo(List.of(new BsonDocument("$replaceWith",
                new BsonDocument("$literal", doc))));
        assertThat(update.getOptions().isUpsert()).isTrue();
    }

    @Test
    void dbRefNamesTheDriverLetsThroughAlsoTakeThePipeline() {
        for (String name : List.of("$id", "$ref", "$db")) {
            assertThat(Replacement.needsPipeline(new BsonDocument("_id", new BsonInt32(1)).append(name,
                    new BsonInt32(2)))).as(name).isTrue();
        }
    }

    @Test
    void onlyTopLevelNamesCount() {
        assertThat(Replacement.needsPipeline(BsonDocument.parse("{_id: 1, a: {$gt: 1}, b: [{$x: 1}], c: '$d'}")))
                .isFalse();
    }

    @Test
    void aLiteralWithoutIdGetsTheRecordsIdFirst() {
        BsonDocument doc = BsonDocument.parse("{$price: 5}");

        List<BsonDocument> pipeline = Replacement.pipeline(new BsonInt32(7), doc);

        BsonDocument literal = pipeline.get(0).getDocument("$replaceWith").getDocument("$literal");
        assertThat(literal.keySet()).containsExactly("_id", "$price");
        assertThat(literal).isEqualTo(BsonDocument.parse("{_id: 7, $price: 5}"));
        assertThat(doc).isEqualTo(BsonDocument.parse("{$price: 5}"));
    }
}
