package io.changeover.transform.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import io.changeover.transform.canonical.CanonicalForm;

/**
 * The test vectors of {@code docs/canonical-form/vectors.json} (computed by the Python reference implementation in
 * {@code tools/canonical_id.py}): Java's {@code v1} gives the same bytes and ids, and the reference implementation
 * still passes them.
 */
class CanonicalFormVectorsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path VECTORS = ROOT.resolve("docs/canonical-form/vectors.json");

    @Test
    void everyVectorGivesItsBytesAndIds() throws IOException {
        BsonDocument file = BsonDocument.parse(Files.readString(VECTORS, StandardCharsets.UTF_8));
        assertThat(file.getString("form").getValue()).isEqualTo(CanonicalForm.DEFAULT.version());
        List<BsonValue> vectors = file.getArray("vectors");
        assertThat(vectors).hasSizeGreaterThan(50);
        for (BsonValue v : vectors) {
            BsonDocument vector = v.asDocument();
            String name = vector.getString("name").getValue();
            byte[] canonical = CanonicalForm.DEFAULT.bytes(vector.get("input"));
            assertThat(HexFormat.of().formatHex(canonical)).as(name).isEqualTo(vector.getString("canonical").getValue());
            assertThat(RehashIdStep.sha256(canonical)).as(name + " sha256").isEqualTo(vector.getString("sha256").getValue());
            assertThat(RehashIdStep.uuid5(RehashIdStep.URL_NAMESPACE, canonical)).as(name + " uuid5")
                    .isEqualTo(UUID.fromString(vector.getString("uuid5").getValue()));
        }
    }

    @Test
    void theReferenceImplementationPassesTheSameVectors() throws Exception {
        Process python = new ProcessBuilder("python3", ROOT.resolve("tools/canonical_id.py").toString(), "--check",
                VECTORS.toString()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output).contains("0 differences");
    }
}
