package io.changeover.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.changeover.transform.spec.MigrationSpec;
import io.changeover.transform.spec.SpecLoader;
import io.changeover.transform.step.StepRegistry;

/** The demo's migration spec ({@code demo/demo-spec.yaml}) with the addresses of the servers filled in. */
public final class DemoSpec {
    private static final String RESOURCE = "/demo/demo-spec.yaml";
    /** The demo's target as PostgreSQL tables, in place of the template's one-line {@code target:}. */
    private static final String POSTGRES_TARGET = "/demo/postgres-target.yaml";
    /** The registry demo's migration, from a PostgreSQL source, and its target as tables. */
    private static final String REGISTRY = "/demo/registry-spec.yaml";
    private static final String REGISTRY_POSTGRES_TARGET = "/demo/registry-postgres-target.yaml";
    private static final java.util.regex.Pattern TARGET_LINE = java.util.regex.Pattern.compile("(?m)^target:.*$");

    private DemoSpec() {
    }

    /**
     * @param sourceUri  source replica set, or a PostgreSQL database ({@code postgresql://}: the registry demo)
     * @param targetUri  target replica set, or a PostgreSQL database ({@code postgresql://}: the demo's tables)
     * @param bootstrap  Kafka bootstrap servers
     * @param workDir    a fresh directory for Kafka Streams state (state from an earlier run belongs to another broker)
     */
    public static MigrationSpec load(String sourceUri, String targetUri, String bootstrap, Path workDir) {
        return fill(template(sourceUri), isPostgres(sourceUri) ? "registry-spec.yaml" : "demo-spec.yaml", sourceUri,
                targetUri, bootstrap, workDir);
    }

    /**
     * A spec file written like the demo's ({@code ${source.uri}}, {@code ${target.uri}},
     * {@code ${kafka.bootstrap.servers}} and {@code ${work.dir}} where the embedded servers' addresses go), filled in.
     */
    public static MigrationSpec load(Path templateFile, String sourceUri, String targetUri, String bootstrap, Path workDir) {
        String template;
        try {
            template = java.nio.file.Files.readString(templateFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spec " + templateFile, e);
        }
        return fill(template, templateFile.toString(), sourceUri, targetUri, bootstrap, workDir);
    }

    private static MigrationSpec fill(String template, String origin, String sourceUri, String targetUri,
                                      String bootstrap, Path workDir) {
        return SpecLoader.parse(filled(template, sourceUri, targetUri, bootstrap, workDir), origin, StepRegistry.standard());
    }

    /**
     * Writes the demo's spec, filled in, to {@code file}: other commands ({@code changeover status --spec FILE}) can
     * then watch the running demo from another terminal.
     */
    public static void write(Path file, String sourceUri, String targetUri, String bootstrap, Path workDir) {
        try {
            Files.writeString(file, filled(template(sourceUri), sourceUri, targetUri, bootstrap, workDir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's spec to " + file, e);
        }
    }

    private static String filled(String template, String sourceUri, String targetUri, String bootstrap, Path workDir) {
        if (isPostgres(targetUri)) {   // the same migration into tables: the target section replaced
            template = TARGET_LINE.matcher(template).replaceFirst(java.util.regex.Matcher.quoteReplacement(
                    resource(isPostgres(sourceUri) ? REGISTRY_POSTGRES_TARGET : POSTGRES_TARGET).strip()));
        }
        return template
                .replace("${source.uri}", sourceUri)
                .replace("${target.uri}", targetUri)
                .replace("${kafka.bootstrap.servers}", bootstrap)
                .replace("${work.dir}", workDir.toAbsolutePath().toString().replace('\\', '/'));
    }

    private static String template(String sourceUri) {
        return resource(isPostgres(sourceUri) ? REGISTRY : RESOURCE);
    }

    private static boolean isPostgres(String uri) {
        return uri.startsWith("postgresql://");
    }

    private static String resource(String name) {
        try (InputStream in = DemoSpec.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
