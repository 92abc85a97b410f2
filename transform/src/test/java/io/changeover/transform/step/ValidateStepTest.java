package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.apply;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.SpecException;

class ValidateStepTest {
    private final Step validate = step("validate", map("schema", map("type", "object", "required", List.of("name"),
            "properties", map("name", map("type", "string"), "n", map("type", "integer", "minimum", 0)))));

    @Test
    void aValidDocumentPassesUnchanged() {
        assertThat(apply(validate, "{_id: {$oid: '65f0a0000000000000000001'}, name: 'a', n: {$numberLong: '3'}}"))
                .contains(StepFixtures.doc("{_id: {$oid: '65f0a0000000000000000001'}, name: 'a', n: {$numberLong: '3'}}"));
    }

    @Test
    void anInvalidDocumentIsADataErrorListingTheViolations() {
        assertThatThrownBy(() -> apply(validate, "{_id: 1, n: -1}"))
                .hasMessageContaining("does not match the schema").hasMessageContaining("name").hasMessageContaining("minimum");
    }

    @Test
    void aSchemaThatIsNotAMapOrRefersOutsideIsASpecError() {
        assertThatThrownBy(() -> step("validate", map("schema", "x"))).isInstanceOf(SpecException.class);
        assertThatThrownBy(() -> step("validate", map("schema", map("$ref", "http://example.com/s.json"))))
                .isInstanceOf(SpecException.class).hasMessageContaining("only local references");
    }
}
