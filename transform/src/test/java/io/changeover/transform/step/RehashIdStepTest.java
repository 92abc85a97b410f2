package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.applied;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import io.changeover.transform.canonical.CanonicalForm;
import io.changeover.transform.spec.SpecException;

class RehashIdStepTest {
    private final Step rehash = step("rehash-id", map("fields", List.of("name", "meta"), "keep-old-id", "legacy_id"));

    @Test
    void theIdIsTheSha256OfTheCanonicalFormOfTheChosenFields() throws Exception {
        BsonDocument out = applied(rehash, "{_id: 7, meta: {b: 1, a: 'x'}, name: 'BRCA1', other: true}");
        // v1 of {meta: {a: 'x', b: 1}, name: 'BRCA1'}, written out by hand from docs/canonical-form.md
        String canonical = "6f" + "00000002"
                + "00000004" + hex("meta") + "6f" + "00000002"
                + "00000001" + hex("a") + "73" + "00000001" + hex("x")
                + "00000001" + hex("b") + "23" + "00000003" + hex("1e0")
                + "00000004" + hex("name") + "73" + "00000005" + hex("BRCA1");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(HexFormat.of().parseHex(canonical)));
        assertThat(out.getString("_id").getValue()).isEqualTo(sha);
        assertThat(out.getFirstKey()).isEqualTo("_id");
        assertThat(out.getInt32("legacy_id").getValue()).isEqualTo(7);
        assertThat(out.getBoolean("other").getValue()).isTrue();
    }

    @Test
    void equalPayloadsGiveEqualIdsWhateverFieldOrderAndNumericType() {
        BsonValue a = applied(rehash, "{_id: 1, name: 'x', meta: {n: 1, m: [1.0, 2]}}").get("_id");
        BsonValue b = applied(rehash, "{meta: {m: [{$numberLong: '1'}, {$numberDecimal: '2.00'}], n: 1.0}, _id: 2, name: 'x'}").get("_id");
        BsonValue c = applied(rehash, "{_id: 3, name: 'x', meta: {n: 2, m: [1, 2]}}").get("_id");
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void uuid5IsAVersion5UuidInTheNamespace() {
        BsonValue id = applied(step("rehash-id", map("fields", List.of("name"), "algorithm", "uuid5")), "{_id: 1, name: 'x'}")
                .get("_id");
        UUID uuid = id.asBinary().asUuid();
        assertThat(uuid.version()).isEqualTo(5);
        assertThat(uuid).isEqualTo(applied(step("rehash-id", map("fields", List.of("name"), "algorithm", "uuid5")),
                "{_id: 2, name: 'x'}").get("_id").asBinary().asUuid());
    }

    @Test
    void withoutFieldsTheWholeDocumentButIdIsHashed() {
        Step all = step("rehash-id", null);
        assertThat(applied(all, "{_id: 1, a: 1, b: 2}").get("_id")).isEqualTo(applied(all, "{b: 2, a: 1, _id: 9}").get("_id"));
    }

    @Test
    void aMigrationStartedWithV0KeepsItsIds() throws Exception {
        Step v0 = StepRegistry.standard(CanonicalForm.named("v0")).compile(new io.changeover.transform.spec.StepSpec(
                "rehash-id", map("fields", List.of("name", "meta")), "test"));
        String canonical = "{\"meta\":{\"a\":\"x\",\"b\":1},\"name\":\"BRCA1\"}";
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        assertThat(applied(v0, "{_id: 7, meta: {b: 1, a: 'x'}, name: 'BRCA1'}").getString("_id").getValue()).isEqualTo(sha);
    }

    @Test
    void anUnknownCanonicalFormIsRefused() {
        assertThatThrownBy(() -> CanonicalForm.named("v9")).hasMessageContaining("unknown canonical form 'v9'");
    }

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownAlgorithmIsASpecError() {
        assertThatThrownBy(() -> step("rehash-id", map("algorithm", "md5")))
                .isInstanceOf(SpecException.class).hasMessageContaining("expected sha256 or uuid5");
    }
}
