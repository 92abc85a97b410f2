package io.changeover.control.pipeline;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;

/**
 * The full-pipeline scenario of {@link PipelineIT} against a real MongoDB replica set (mongod in Docker, one member).
 * Skipped where there is no Docker, as on the machines this project is developed on.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealReplicaSetPipelineIT {
    @Container
    static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");

    @TempDir
    Path work;

    @Test
    void liveMigrationConvergesOnARealReplicaSet() throws Exception {
        String uri = MONGO.getReplicaSetUrl("admin");
        PipelineIT.liveMigrationConverges(uri, uri, work);
    }
}
