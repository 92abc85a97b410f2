package io.changeover.transform.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A password in a connection string is never shown: not in a spec's or endpoint's text (which ends up in messages and
 * logs), not in the loader's errors. Every URI here carries one.
 */
class CredentialsNotShownTest {
    private static final String SECRET = "s3cr3t-PW";
    private static final String SPEC = """
            migration: creds
            source: {uri: "mongodb://reader:%1$s@db1:27017,db2:27017/?replicaSet=rs0&tls=true", database: legacy}
            target: {uri: "mongodb+srv://writer:%1$s@cluster0.example.net/?authSource=admin", database: refactored}
            kafka: {bootstrap.servers: "localhost:9092", security.protocol: SASL_SSL, sasl.mechanism: PLAIN,
                    sasl.jaas.config: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="%1$s";',
                    ssl.truststore.password: "%1$s"}
            collections:
              jobs: {}
            """.formatted(SECRET);

    @Test
    void aSpecAndItsEndpointsAreShownWithoutPasswords() {
        MigrationSpec spec = SpecLoader.parse(SPEC, "creds.yaml");
        assertThat(spec.source().uri()).as("the driver still gets it").contains(SECRET);
        assertThat(spec.toString()).doesNotContain(SECRET).contains("reader:***@db1:27017")
                .contains("sasl.jaas.config=***").contains("security.protocol=SASL_SSL");
        assertThat(spec.kafka().get("sasl.jaas.config")).as("the clients still get it").contains(SECRET);
        assertThat(spec.target().toString()).doesNotContain(SECRET).contains("writer:***@cluster0.example.net");
    }

    @Test
    void aMalformedUriIsNamedWithoutItsPassword() {
        String bad = SPEC.replace("mongodb://reader", "postgres://reader");
        assertThatThrownBy(() -> SpecLoader.parse(bad, "creds.yaml")).hasMessageContaining("source.uri")
                .hasMessageContaining("postgres://reader:***@").message().doesNotContain(SECRET);
    }

    @Test
    void passwordsInUserInfoAndInSecretParametersAreRedacted() {
        assertThat(ConnectionStrings.redact("mongodb://u:" + SECRET + "@h/?w=1")).isEqualTo("mongodb://u:***@h/?w=1");
        assertThat(ConnectionStrings.redact("mongodb://h/?authMechanismProperties=AWS_SESSION_TOKEN:" + SECRET + "&w=1"))
                .isEqualTo("mongodb://h/?authMechanismProperties=***&w=1");
        assertThat(ConnectionStrings.redact("mongodb://h:27017/?replicaSet=rs0")).isEqualTo("mongodb://h:27017/?replicaSet=rs0");
        assertThat(ConnectionStrings.redact("mongodb://user@h/")).as("no password").isEqualTo("mongodb://user@h/");
    }
}
