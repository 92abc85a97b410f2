package io.changeover.app;

import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import io.changeover.app.lag.CaptureOffsetsReader;
import io.changeover.app.lag.LagMonitor;
import io.changeover.app.lag.LagReport;
import io.changeover.app.lag.SourceClock;
import io.changeover.app.lag.StageLag;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints the lag of every stage of a migration, measured from Kafka and the source (works from any host). */
@Command(name = "status", description = "Print the lag of capture, transform and sink.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    SpecOption spec;

    @Override
    public Integer call() {
        MigrationSpec migration = spec.load();
        Map<String, Object> kafka = Map.copyOf(migration.kafka());
        CaptureOffsetsReader offsets = new CaptureOffsetsReader(migration.kafka(), Topics.of(migration.name()));
        try (Admin admin = Admin.create(kafka); MongoClient source = MongoClients.create(migration.source().uri())) {
            LagReport report = new LagMonitor(migration, admin, new SourceClock(source), offsets::position).measure();
            System.out.println("migration " + migration.name());
            for (StageLag stage : report.stages()) {
                String lag = stage.events() >= 0 ? stage.events() + " records" : String.format("%.1f s", stage.seconds());
                System.out.printf("  %-10s lag %s%n", stage.stage(), lag);
            }
            System.out.println(report.zero() ? "  caught up: lag is zero" : "  behind");
        }
        return 0;
    }
}
