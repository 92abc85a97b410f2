package io.changeover.capture;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.changeover.transform.spec.CollectionSpec;
import io.changeover.transform.spec.MigrationSpec;

/** Migration specs for tests, built with the record constructor. */
final class TestSpecs {
    private TestSpecs() {
    }

    static MigrationSpec spec(String name, String uri, String database, String bootstrap, Map<String, Object> capture,
            String... collections) {
        List<CollectionSpec> colls = Arrays.stream(collections).map(c -> new CollectionSpec(c, c, List.of())).toList();
        return new MigrationSpec(name, new MigrationSpec.Endpoint(uri, database),
                new MigrationSpec.Endpoint(uri, database + "_target"), Map.of("bootstrap.servers", bootstrap),
                capture, Map.of(), Map.of(), colls, "0".repeat(64), "test");
    }
}
