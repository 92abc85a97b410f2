package io.changeover.transform.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.bson.BsonDocument;

import io.changeover.transform.spec.StepSpec;

/** Compiles steps the way the spec loader does and checks that they leave their input alone. */
final class StepFixtures {
    private StepFixtures() {
    }

    static Step step(String kind, Object arguments) {
        return StepRegistry.standard().compile(new StepSpec(kind, arguments, "test.yaml:1, collection 'c', step 1 (" + kind + ")"));
    }

    /** Applies a step, asserting the input document is unchanged afterwards. */
    static Optional<BsonDocument> apply(Step step, String json) {
        BsonDocument input = BsonDocument.parse(json);
        String before = input.toJson();
        Optional<BsonDocument> result = step.apply(input);
        assertThat(input.toJson()).as("input is not mutated").isEqualTo(before);
        return result;
    }

    static BsonDocument applied(Step step, String json) {
        return apply(step, json).orElseThrow();
    }

    /** An ordered map, like the spec loader produces. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static BsonDocument doc(String json) {
        return BsonDocument.parse(json);
    }
}
