package io.changeover.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * {@code changeover demo --target postgres}, small: the demo's live migration into normalized PostgreSQL tables on a
 * server of its own, through status, the cutover's lag gate, fence, full verification and record, ends with the
 * tables equal to the spec applied to the source; {@code --source postgres}: the registry whose serial ids become UUIDs
 * with their foreign keys rewritten, from one PostgreSQL server to another (and into MongoDB), the same.
 */
class PostgresDemoIT {

    @Test
    void theDemosMigrationIntoTablesCutsOverWithNoDifference() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            exit = new DemoRun(new DemoOptions(800, 100, 7, 3, 180, -1, "postgres"), out).call();
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        assertThat(text).contains("cutover DONE").contains("in PostgreSQL tables")
                .containsPattern("mismatches +0 \\(")
                .contains("PASSED: the target equals the spec applied to the source");
    }

    @Test
    void theRegistryFromPostgresCutsOverWithNoDifferenceIntoTablesAndIntoMongo() throws Exception {
        for (String target : new String[] {"postgres", "mongodb"}) {
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int exit;
            try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                exit = new DemoRun(new DemoOptions(400, 100, 11, 3, 180, -1, target, "postgres"), out).call();
            }
            String text = captured.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(text).isZero();
            assertThat(text).contains("cutover DONE").contains("datasets and files (UUID keys, foreign keys rewritten)")
                    .containsPattern("mismatches +0 \\(")
                    .contains("PASSED: the target equals the spec applied to the source");
            if (target.equals("postgres")) {
                assertThat(text).as("the cutover adds the declared foreign key once every row is in")
                        .contains("files.dataset_id -> datasets.id ON DELETE CASCADE: added and validated");
            }
        }
    }
}
