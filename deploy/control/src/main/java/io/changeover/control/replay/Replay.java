package io.changeover.control.replay;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.changeover.control.lag.ConsumerGroupLag;
import io.changeover.control.lag.WaitingDocumentsReader;
import io.changeover.sink.SinkRunner;
import io.changeover.transform.TransformRunner;
import io.changeover.transform.TransformTopology;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.topics.Topics;

/**
 * A running replay: the feed copying the live raw topics, the replay's transform (its own application id) and sink
 * (its own target). Started downstream first, closed upstream first, like the live pipeline.
 */
public final class Replay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replay.class);
    private final MigrationSpec replay;
    private SinkRunner sink;
    private TransformRunner transform;
    private ReplayFeed feed;

    private Replay(MigrationSpec replay) {
        this.replay = replay;
    }

    /**
     * @param live   the live migration whose raw topics are replayed
     * @param replay the replay's spec ({@link ReplaySpec#of})
     * @param from   replay changes from this time on; null replays everything retained
     */
    public static Replay start(MigrationSpec live, MigrationSpec replay, Instant from) {
        Replay r = new Replay(replay);
        try {
            r.sink = SinkRunner.start(replay);
            r.transform = TransformRunner.start(replay);
            r.feed = ReplayFeed.start(live, replay, from);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        LOG.info("replay '{}' of '{}' started", replay.name(), live.name());
        return r;
    }

    public MigrationSpec spec() {
        return replay;
    }

    public ReplayFeed feed() {
        return feed;
    }

    /** The first part that stopped with an error, named. */
    public Optional<String> failure() {
        if (feed != null && feed.failure().isPresent()) {
            return Optional.of("replay feed failed: " + feed.failure().get().getMessage());
        }
        if (transform != null && transform.failure().isPresent()) {
            return Optional.of("replay transform failed: " + transform.failure().get().getMessage());
        }
        if (sink != null && sink.failure().isPresent()) {
            return Optional.of("replay sink failed: " + sink.failure().get().getMessage());
        }
        return Optional.empty();
    }

    /** Records behind, in pipeline order: feed (live raw not yet copied), transform, sink. */
    public Lag lag(Admin admin) {
        Topics topics = Topics.of(replay.name());
        CompiledSpec compiled = CompiledSpec.compile(replay);
        List<String> inputs = TransformTopology.inputTopics(compiled);
        List<String> out = TransformTopology.outputTopics(compiled);
        long feedLag = feed.lag();
        ConsumerGroupLag groups = new ConsumerGroupLag(admin);
        long transformLag = groups.lag(topics.transformApplicationId(), inputs);
        // documents waiting for remap answers are transform work too, as in LagMonitor (read in the same order)
        long waiting;
        try (WaitingDocumentsReader reader = new WaitingDocumentsReader(replay.kafka(), TransformTopology.remapWaitingTopics(compiled))) {
            waiting = reader.waiting();
        }
        return new Lag(feedLag, transformLag + waiting, groups.lag(topics.sinkGroupId(), out));
    }

    @Override
    public void close() {
        closeQuietly(feed, "replay feed");
        closeQuietly(transform, "replay transform");
        closeQuietly(sink, "replay sink");
    }

    private static void closeQuietly(AutoCloseable part, String name) {
        if (part == null) {
            return;
        }
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("{} did not close cleanly", name, e);
        }
    }

    /**
     * Records a replay is behind.
     *
     * @param feed      live raw records not copied yet
     * @param transform replay raw records not transformed yet, and documents waiting for remap answers
     * @param sink      replay output records not written yet
     */
    public record Lag(long feed, long transform, long sink) {
        public boolean zero() {
            return feed == 0 && transform == 0 && sink == 0;
        }

        @Override
        public String toString() {
            return "feed " + feed + ", transform " + transform + ", sink " + sink + " records";
        }
    }
}
