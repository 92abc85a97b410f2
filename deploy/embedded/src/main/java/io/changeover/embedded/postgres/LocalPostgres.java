package io.changeover.embedded.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server of its own, for tests and the demo: {@code initdb} into a temporary directory, started with
 * {@code pg_ctl} on a free loopback port with {@code wal_level=logical} (so Debezium can stream from it), stopped and
 * deleted on {@link #close()}. The binaries are PostgreSQL's own, from {@code CHANGEOVER_PG_BINDIR} or where
 * {@code pg_config --bindir} says. PostgreSQL refuses to run as root: as root, its commands run as the user
 * {@code postgres} (which Debian's package creates) through {@code runuser}.
 *
 * <p>Durability is off ({@code fsync=off}, {@code synchronous_commit=off}): this server holds test data only; a crash
 * of the machine loses it, a crash of the server (SIGKILL) does not.
 */
public final class LocalPostgres implements AutoCloseable {
    /** The superuser {@code initdb} creates, trusted on loopback without a password. */
    public static final String USER = "changeover";
    private static final String OS_USER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path home;
    private final Path data;
    private final int port;
    private boolean running;

    private LocalPostgres(Path bin, Path home, int port) {
        this.bin = bin;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
    }

    /** Creates a cluster in a new temporary directory and starts it; fails naming the command that failed. */
    public static LocalPostgres start() {
        Path bin = binDirectory();
        try {
            Path home = Files.createTempDirectory("changeover-postgres");
            LocalPostgres server = new LocalPostgres(bin, home, freePort());
            try {
                server.initialize();
                server.startServer();
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a PostgreSQL cluster directory", e);
        }
    }

    /** The port the server listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** A JDBC URL for {@code database} as the superuser. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
    }

    /** A libpq-style connection URI for {@code database} as the superuser, the form a spec's {@code uri} takes. */
    public String uri(String database) {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/" + database;
    }

    /** Creates {@code database} (owned by the superuser). */
    public void createDatabase(String database) {
        run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER,
                database), "createdb " + database);
    }

    /** Stops the server (fast shutdown: sessions are closed) and deletes its directory. */
    @Override
    public void close() {
        try {
            if (running) {
                run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"),
                        "pg_ctl stop");
                running = false;
            }
        } finally {
            delete(home);
        }
    }

    private void initialize() throws IOException {
        if (asRoot()) {
            run(List.of("chown", OS_USER, home.toString()), "chown of the cluster directory to " + OS_USER);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                "--no-locale", "--no-sync"), "initdb");
        String settings = String.join("\n",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + home + "'",
                "wal_level = logical",
                "max_replication_slots = 10",
                "max_wal_senders = 10",
                "track_commit_timestamp = on",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 50",
                "");
        Files.writeString(data.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private void startServer() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", home.resolve("server.log").toString(),
                "-w", "-t", "60", "start"), "pg_ctl start");
        running = true;
    }

    /** Runs a PostgreSQL command (as {@code postgres} when this JVM is root) and fails with its output if it fails. */
    private void run(List<String> command, String what) {
        List<String> full = new ArrayList<>();
        if (asRoot() && !command.get(0).equals("chown")) {
            full.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        full.addAll(command);
        try {
            Path output = Files.createTempFile("changeover-postgres-command", ".log");
            try {
                Process process = new ProcessBuilder(full).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(what + " did not finish within " + COMMAND_TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(what + " failed (exit " + process.exitValue() + "): "
                            + Files.readString(output).strip() + serverLog());
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + what + " (" + String.join(" ", full) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }

    private String serverLog() throws IOException {
        Path log = home.resolve("server.log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log).strip() : "";
    }

    /** Where PostgreSQL's binaries are: {@code CHANGEOVER_PG_BINDIR}, else {@code pg_config --bindir}. */
    static Path binDirectory() {
        String configured = System.getenv("CHANGEOVER_PG_BINDIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            Process process = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (process.waitFor() != 0 || out.isEmpty()) {
                throw new IllegalStateException("pg_config --bindir failed: " + out);
            }
            return Path.of(out);
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed: no pg_config on the PATH (install Debian's "
                    + "package postgresql, or set CHANGEOVER_PG_BINDIR to the directory holding initdb and pg_ctl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking pg_config", e);
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the PostgreSQL cluster directory " + dir, e);
        }
    }
}
