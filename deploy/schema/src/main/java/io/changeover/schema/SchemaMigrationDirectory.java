package io.changeover.schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads an ordered schema history from a directory: every {@code V<version>__<name>.yaml} file, sorted by version.
 * Any other {@code .yaml} file, and two files with one version, are errors (a typo must not silently skip a step).
 */
public final class SchemaMigrationDirectory {
    private static final Pattern NAME = Pattern.compile("V([0-9]+(?:\\.[0-9]+)*)__([A-Za-z0-9_-]+)\\.ya?ml");

    private SchemaMigrationDirectory() {
    }

    public static List<SchemaMigration> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("migration directory " + dir + " does not exist or is not a directory");
        }
        List<SchemaMigration> migrations = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList()) {
                migrations.add(read(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list migration directory " + dir, e);
        }
        migrations.sort((a, b) -> a.version().compareTo(b.version()));
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version().compareTo(migrations.get(i - 1).version()) == 0) {
                throw new IllegalArgumentException("two migrations have version " + migrations.get(i).version() + ": "
                        + migrations.get(i - 1).file().getFileName() + " and " + migrations.get(i).file().getFileName());
            }
        }
        return migrations;
    }

    private static SchemaMigration read(Path file) throws IOException {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("migration file " + file.getFileName()
                    + " is not named V<version>__<name>.yaml (for example V2__rename_fields.yaml)");
        }
        byte[] bytes = Files.readAllBytes(file);
        return new SchemaMigration(new SchemaVersion(m.group(1)), m.group(2), file, sha256(bytes),
                new String(bytes, StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
