package io.changeover.app.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.mongodb.client.MongoClient;

import io.changeover.transform.engine.CollectionTransform;
import io.changeover.transform.engine.CompiledSpec;
import io.changeover.transform.spec.MigrationSpec;
import io.changeover.verify.CollectionReport;
import io.changeover.verify.DocumentComparator;
import io.changeover.verify.Verifier;

/** Runs the verifier over every target collection of a spec, using the transform's pure functions. */
public final class SpecVerification {
    private SpecVerification() {
    }

    public static List<CollectionReport> run(MigrationSpec spec, MongoClient source, MongoClient target, boolean numericWidening) {
        CompiledSpec compiled = CompiledSpec.compile(spec);
        Map<String, List<Verifier.Input>> byTarget = new LinkedHashMap<>();
        for (CollectionTransform t : compiled.collections()) {
            byTarget.computeIfAbsent(t.target(), k -> new ArrayList<>())
                    .add(new Verifier.Input(t.source(), doc -> t.apply(doc).document()));
        }
        Verifier verifier = new Verifier(source.getDatabase(spec.source().database()),
                target.getDatabase(spec.target().database()), new DocumentComparator(numericWidening));
        List<CollectionReport> reports = new ArrayList<>();
        byTarget.forEach((collection, inputs) -> reports.add(verifier.verify(collection, inputs)));
        return reports;
    }

    public static long mismatches(List<CollectionReport> reports) {
        return reports.stream().mapToLong(CollectionReport::mismatches).sum();
    }
}
