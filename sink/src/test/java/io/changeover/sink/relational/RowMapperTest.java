package io.changeover.sink.relational;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.bson.BsonArray;
import org.bson.BsonBinary;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.ColumnSpec;
import io.changeover.transform.spec.TableSpec;

class RowMapperTest {
    private static final TableSpec GENES = new TableSpec("genes", "genes", new ColumnSpec("id", "_id", "text"),
            List.of(new ColumnSpec("symbol", "symbol", "text"), new ColumnSpec("length", "meta.length", "integer"),
                    new ColumnSpec("score", "score", "numeric"), new ColumnSpec("seen", "seen", "timestamptz"),
                    new ColumnSpec("extra", "extra", "jsonb")),
            List.of(new TableSpec.ChildTableSpec("transcripts", "transcripts", "gene_id", "ordinal",
                    List.of(new ColumnSpec("name", "name", "text"), new ColumnSpec("exons", "exons", "bigint"))),
                    new TableSpec.ChildTableSpec("aliases", "aliases", "gene_id", "ordinal",
                            List.of(new ColumnSpec("alias", ".", "text")))),
            List.of());

    @Test
    void aDocumentBecomesItsRowAndOneChildRowPerArrayElement() {
        BsonDocument gene = new BsonDocument("_id", new BsonString("ENSG1")).append("symbol", new BsonString("BRCA1"))
                .append("meta", new BsonDocument("length", new BsonDouble(81189.0)))
                .append("score", new BsonDecimal128(Decimal128.parse("0.125")))
                .append("seen", new BsonDateTime(86_400_000L))
                .append("extra", new BsonDocument("k", new BsonArray(List.of(new BsonInt32(1), BsonBoolean.TRUE))))
                .append("transcripts", new BsonArray(List.of(
                        new BsonDocument("name", new BsonString("T1")).append("exons", new BsonInt32(3)),
                        new BsonDocument("name", new BsonString("T2")))))
                .append("aliases", new BsonArray(List.of(new BsonString("a"), new BsonString("b"))));
        BsonDocument before = gene.clone();
        DocumentRows rows = new RowMapper(GENES).rows(gene.get("_id"), gene);
        assertThat(rows.key()).isEqualTo("ENSG1");
        assertThat(rows.parent()).containsExactly("BRCA1", "81189", "0.125", "1970-01-02T00:00:00Z", "{\"k\": [1, true]}");
        assertThat(rows.children().get("transcripts")).containsExactly(List.of("T1", "3"), Arrays.asList("T2", null));
        assertThat(rows.children().get("aliases")).containsExactly(List.of("a"), List.of("b"));
        assertThat(gene).as("the input is not touched").isEqualTo(before);
    }

    @Test
    void missingNullAndPathsThroughScalarsAreNull() {
        BsonDocument gene = new BsonDocument("_id", new BsonInt64(7)).append("symbol", BsonNull.VALUE)
                .append("meta", new BsonString("not a document"));
        DocumentRows rows = new RowMapper(GENES).rows(gene.get("_id"), gene);
        assertThat(rows.key()).isEqualTo("7");
        assertThat(rows.parent()).containsOnlyNulls();
        assertThat(rows.children().get("transcripts")).isEmpty();
    }

    @Test
    void aValueItsColumnCannotHoldIsNamedWithTheColumn() {
        RowMapper mapper = new RowMapper(GENES);
        assertThatThrownBy(() -> mapper.rows(new BsonString("g"), new BsonDocument("meta",
                new BsonDocument("length", new BsonDouble(1.5)))))
                .isInstanceOf(ColumnValueException.class).hasMessageContaining("column length (integer, field 'meta.length')")
                .hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> mapper.rows(new BsonString("g"), new BsonDocument("meta",
                new BsonDocument("length", new BsonInt64(1L << 40)))))
                .isInstanceOf(ColumnValueException.class).hasMessageContaining("out of range for integer");
        assertThatThrownBy(() -> mapper.rows(new BsonString("g"), new BsonDocument("symbol", new BsonString("a\0b"))))
                .isInstanceOf(ColumnValueException.class).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> mapper.rows(new BsonString("g"), new BsonDocument("transcripts", new BsonString("T1"))))
                .isInstanceOf(ColumnValueException.class).hasMessageContaining("not an array");
        assertThatThrownBy(() -> mapper.rows(new BsonString("g"), new BsonDocument("seen", new BsonString("yesterday"))))
                .isInstanceOf(ColumnValueException.class).hasMessageContaining("not an ISO-8601 date-time");
    }

    @Test
    void everyTypeASpecMayNameHasItsConversion() {
        assertThat(ColumnSpec.TYPES).allSatisfy(type -> assertThat(ColumnType.of(type).sql()).isEqualTo(type));
        UUID uuid = UUID.fromString("6f1c2c1e-8b0a-5d4b-9a57-3b9d5b3c0f00");
        assertThat(ColumnType.of("uuid").text(new BsonBinary(uuid))).isEqualTo(uuid.toString());
        assertThat(ColumnType.of("uuid").text(new BsonString(uuid.toString()))).isEqualTo(uuid.toString());
        assertThat(ColumnType.of("bytea").text(new BsonBinary(new byte[] {1, (byte) 0xff}))).isEqualTo("01ff");
        assertThat(ColumnType.of("bytea").fromText("u.c1")).isEqualTo("decode(u.c1, 'hex')");
        ObjectId oid = new ObjectId();
        assertThat(ColumnType.of("text").text(new BsonObjectId(oid))).isEqualTo(oid.toHexString());
        assertThat(ColumnType.of("double precision").text(new BsonInt32(5))).isEqualTo("5.0");
        assertThat(ColumnType.of("bigint").text(new BsonDouble(5.0))).as("5 and 5.0 are one key").isEqualTo("5");
        assertThat(ColumnType.of("text").text(new BsonDouble(5.0))).as("5 and 5.0 are one key")
                .isEqualTo(ColumnType.of("text").text(new BsonInt64(5)));
        assertThat(ColumnType.of("boolean").text(BsonBoolean.FALSE)).isEqualTo("false");
    }
}
