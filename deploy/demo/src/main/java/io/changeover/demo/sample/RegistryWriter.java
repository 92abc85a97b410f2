package io.changeover.demo.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's services while it is migrated: new datasets with their files (one transaction), title and status
 * edits, files added to and removed from datasets, datasets deleted with their files (ON DELETE CASCADE). Paced, on
 * its own thread, from a seed; any failed statement stops it and is kept for {@link #failure()}.
 */
public final class RegistryWriter implements Runnable, DemoWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryWriter.class);
    private final String jdbcUrl;
    private final SplittableRandom random;
    private final Pacer pacer;
    private final int initialDatasets;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private volatile Throwable failure;
    private Thread thread;
    private int nextAccession;

    /** @param initialDatasets datasets loaded before it starts (their ids are 1..initialDatasets) */
    public RegistryWriter(String jdbcUrl, int initialDatasets, double opsPerSecond, long seed) {
        this.jdbcUrl = jdbcUrl;
        this.random = new SplittableRandom(seed);
        this.initialDatasets = initialDatasets;
        this.pacer = new Pacer(opsPerSecond, System::nanoTime, n -> !stop.await(n, TimeUnit.NANOSECONDS));
        this.nextAccession = 100_000 + initialDatasets + 1;
    }

    public synchronized RegistryWriter start() {
        thread = new Thread(this, "changeover-registry-writer");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void run() {
        try (Connection c = DriverManager.getConnection(jdbcUrl)) {
            while (stop.getCount() > 0 && pacer.awaitNext()) {
                writeOne(c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            failure = e;
            LOG.error("registry writer stopped: {}", e.toString());
        } finally {
            stopped.countDown();
        }
    }

    private void writeOne(Connection c) throws SQLException {
        int id = 1 + random.nextInt(initialDatasets + inserts.intValue() / 2 + 1);
        switch (random.nextInt(10)) {
            case 0, 1 -> insertDataset(c);
            case 2 -> count(deletes, update(c, "DELETE FROM datasets WHERE id = ?", id));
            case 3 -> count(inserts, update(c, "INSERT INTO files (dataset_id, name, bytes, format) SELECT id, 'added-"
                    + random.nextInt(100_000) + ".csv', " + random.nextLong(1L << 30) + ", 'csv' FROM datasets"
                    + " WHERE id = ?", id));
            case 4 -> count(deletes, update(c, "DELETE FROM files WHERE id = (SELECT min(id) FROM files"
                    + " WHERE dataset_id = ?)", id));
            case 5, 6 -> count(updates, update(c, "UPDATE datasets SET status = '"
                    + RegistryDataset.STATUSES[random.nextInt(RegistryDataset.STATUSES.length)] + "' WHERE id = ?", id));
            default -> count(updates, update(c, "UPDATE datasets SET title = 'Revised study "
                    + random.nextInt(10_000) + "', size_bytes = size_bytes + 1 WHERE id = ?", id));
        }
    }

    private void insertDataset(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement dataset = c.prepareStatement(RegistryDataset.DATASET_INSERT, new String[] {"id"});
             PreparedStatement files = c.prepareStatement(RegistryDataset.FILE_INSERT)) {
            RegistryDataset.bindDataset(dataset, random, "DS" + nextAccession++);
            dataset.executeUpdate();
            int id;
            try (var keys = dataset.getGeneratedKeys()) {
                keys.next();
                id = keys.getInt(1);
            }
            for (int f = random.nextInt(4); f > 0; f--) {
                RegistryDataset.bindFile(files, random, id);
                files.executeUpdate();
            }
            c.commit();
            inserts.incrementAndGet();
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static int update(Connection c, String sql, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setInt(1, id);
            return s.executeUpdate();
        }
    }

    private static void count(AtomicLong counter, int rows) {
        if (rows > 0) {
            counter.incrementAndGet();
        }
    }

    @Override
    public LiveWriterCounts counts() {
        return new LiveWriterCounts(inserts.get(), updates.get(), 0, deletes.get());
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        stop.countDown();
        if (thread != null) {
            try {
                if (!stopped.await(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.warn("registry writer did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
