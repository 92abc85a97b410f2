package io.changeover.app;

import io.changeover.control.status.LagThreshold;
import io.changeover.control.status.ReadinessRule;
import picocli.CommandLine.Option;

/** The lag under which cutover is allowed, shared by status, run and cutover. */
final class ThresholdOptions {
    @Option(names = "--max-lag-records", defaultValue = "1000",
            description = "Cutover is allowed when transform and sink together are at most this many records behind (default ${DEFAULT-VALUE}).")
    long maxLagRecords;

    @Option(names = "--max-lag-seconds", defaultValue = "5",
            description = "... and the capture at most this many seconds behind the source (default ${DEFAULT-VALUE}).")
    double maxLagSeconds;

    @Option(names = "--allow-dead-letters",
            description = "Allow cutover with records in the dead-letter topic (after inspecting them: they are not in the target).")
    boolean allowDeadLetters;

    LagThreshold threshold() {
        return new LagThreshold(maxLagRecords, maxLagSeconds);
    }

    ReadinessRule readiness() {
        return new ReadinessRule(threshold(), allowDeadLetters);
    }
}
