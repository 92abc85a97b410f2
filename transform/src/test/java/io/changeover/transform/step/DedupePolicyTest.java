package io.changeover.transform.step;

import static io.changeover.transform.step.StepFixtures.doc;
import static io.changeover.transform.step.StepFixtures.map;
import static io.changeover.transform.step.StepFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class DedupePolicyTest {
    private static final List<DedupePolicy.Candidate> CANDIDATES = List.of(
            candidate("a", "{_id: 'h', v: 1, x: 1}"),
            candidate("b", "{_id: 'h', v: 5, y: 2}"),
            candidate("c", "{_id: 'h', v: 5, x: 3}"),
            candidate("d", "{_id: 'h', z: 4}"));

    private static DedupePolicy.Candidate candidate(String key, String json) {
        return new DedupePolicy.Candidate(key.getBytes(StandardCharsets.UTF_8), doc(json));
    }

    private static DedupePolicy policy(Object... arguments) {
        return ((DedupeStep) step("dedupe", map(arguments))).policy();
    }

    @Test
    void keepFirstKeepsTheFirstCandidate() {
        assertThat(policy("policy", "keep-first").combine(CANDIDATES)).isEqualTo(doc("{_id: 'h', v: 1, x: 1}"));
    }

    @Test
    void keepLatestKeepsTheLargestValueAndTheEarlierOnATie() {
        assertThat(policy("policy", "keep-latest", "by", "v").combine(CANDIDATES)).isEqualTo(doc("{_id: 'h', v: 5, y: 2}"));
    }

    @Test
    void mergePutsFieldsInOrderLaterOnesWinning() {
        assertThat(policy("policy", "merge").combine(CANDIDATES).toJson())
                .isEqualTo(doc("{_id: 'h', v: 5, x: 3, y: 2, z: 4}").toJson());
    }

    @Test
    void deadLetterKeepsTheFirstAndRejectsTheOthers() {
        DedupePolicy policy = policy("policy", "dead-letter");
        assertThat(policy.combine(CANDIDATES)).isEqualTo(doc("{_id: 'h', v: 1, x: 1}"));
        assertThat(policy.deadLetters(CANDIDATES)).hasSize(3);
        assertThat(policy("policy", "merge").deadLetters(CANDIDATES)).isEmpty();
    }

    @Test
    void byGoesOnlyWithKeepLatest() {
        assertThatThrownBy(() -> policy("policy", "keep-latest")).hasMessageContaining("'by'");
        assertThatThrownBy(() -> policy("policy", "merge", "by", "v")).hasMessageContaining("only with policy keep-latest");
    }
}
