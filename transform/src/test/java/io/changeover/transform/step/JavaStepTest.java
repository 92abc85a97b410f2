package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.apply;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.changeover.transform.spec.SpecException;

class JavaStepTest {
    @Test
    void appliesTheClassWithItsOptionsWithoutTouchingTheInput() {
        Step java = step("java", map("class", UppercaseField.class.getName(), "options", map("field", "name")));
        assertThat(apply(java, "{_id: 1, name: 'brca1'}")).contains(StepFixtures.doc("{_id: 1, name: 'BRCA1'}"));
        assertThat(apply(java, "{_id: 2, name: 'drop me'}")).isEmpty();
    }

    @Test
    void aMissingOrWrongClassIsASpecError() {
        assertThatThrownBy(() -> step("java", map("class", "com.example.Nope")))
                .isInstanceOf(SpecException.class).hasMessageContaining("not on the classpath");
        assertThatThrownBy(() -> step("java", map("class", String.class.getName())))
                .isInstanceOf(SpecException.class).hasMessageContaining("does not implement");
    }
}
