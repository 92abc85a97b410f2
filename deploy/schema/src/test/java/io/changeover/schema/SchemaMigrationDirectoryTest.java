package io.changeover.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigrationDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void ordersByVersionNotByName() throws Exception {
        Files.writeString(dir.resolve("V10__ten.yaml"), "collections: {}\n");
        Files.writeString(dir.resolve("V2__two.yaml"), "collections: {}\n");
        Files.writeString(dir.resolve("V2.1__two_one.yml"), "collections: {}\n");
        Files.writeString(dir.resolve("README.md"), "not a migration");
        assertThat(SchemaMigrationDirectory.load(dir)).extracting(m -> m.version().text()).containsExactly("2", "2.1", "10");
    }

    @Test
    void checksumIsOfTheFileBytes() throws Exception {
        Files.writeString(dir.resolve("V1__a.yaml"), "collections: {}\n");
        String first = SchemaMigrationDirectory.load(dir).get(0).checksum();
        Files.writeString(dir.resolve("V1__a.yaml"), "collections: {} # edited\n");
        assertThat(SchemaMigrationDirectory.load(dir).get(0).checksum()).hasSize(64).isNotEqualTo(first);
    }

    @Test
    void misnamedFilesAndDuplicateVersionsAreErrors() throws Exception {
        Files.writeString(dir.resolve("v1-typo.yaml"), "collections: {}\n");
        assertThatThrownBy(() -> SchemaMigrationDirectory.load(dir)).hasMessageContaining("v1-typo.yaml is not named V<version>__<name>.yaml");
        Files.delete(dir.resolve("v1-typo.yaml"));
        Files.writeString(dir.resolve("V1__a.yaml"), "collections: {}\n");
        Files.writeString(dir.resolve("V1.0__b.yaml"), "collections: {}\n");
        assertThatThrownBy(() -> SchemaMigrationDirectory.load(dir)).hasMessageContaining("two migrations have version");
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(new SchemaVersion("10").compareTo(new SchemaVersion("9"))).isPositive();
        assertThat(new SchemaVersion("2.1").compareTo(new SchemaVersion("2"))).isPositive();
        assertThat(new SchemaVersion("2.0").compareTo(new SchemaVersion("2"))).isZero();
        assertThatThrownBy(() -> new SchemaVersion("v2")).hasMessageContaining("whole numbers separated by dots");
    }
}
