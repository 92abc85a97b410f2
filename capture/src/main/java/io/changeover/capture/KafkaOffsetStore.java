package io.changeover.capture;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.storage.KafkaOffsetBackingStore;
import org.apache.kafka.connect.util.SharedTopicAdmin;

import io.debezium.embedded.KafkaConnectUtil;

/**
 * Kafka Connect's Kafka offset store as the Debezium engine uses it ({@code offset.storage}), with two differences
 * from the store Debezium builds itself for {@code KafkaOffsetBackingStore}: its topic admin gets every Kafka client
 * property (Debezium's gets only {@code bootstrap.servers}, so it cannot reach a cluster that needs TLS or SASL),
 * and the admin is closed when the store stops (Debezium's is never closed, leaking a client thread per engine).
 *
 * <p>Offsets are written with the same converter as Debezium's store, so the offsets topic stays readable by a
 * plain Debezium engine.
 */
public final class KafkaOffsetStore extends KafkaOffsetBackingStore {
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final AtomicReference<SharedTopicAdmin> admin;
    private final AtomicReference<String> clientId;

    /** Called by the Debezium engine, which instantiates {@code offset.storage} reflectively. */
    public KafkaOffsetStore() {
        this(new AtomicReference<>(), new AtomicReference<>("changeover-capture"));
    }

    private KafkaOffsetStore(AtomicReference<SharedTopicAdmin> admin, AtomicReference<String> clientId) {
        super(() -> admin.get().topicAdmin(), clientId::get, KafkaConnectUtil.converterForOffsetStore());
        this.admin = admin;
        this.clientId = clientId;
    }

    @Override
    public void configure(WorkerConfig config) {
        Object name = config.originals().get("name");
        if (name != null) {
            clientId.set(name + "-offsets");
        }
        admin.set(new SharedTopicAdmin(adminProperties(config.originals(), clientId.get())));
        super.configure(config);
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            SharedTopicAdmin a = admin.getAndSet(null);
            if (a != null) {
                a.close(ADMIN_CLOSE_TIMEOUT);
            }
        }
    }

    static Map<String, Object> adminProperties(Map<String, Object> originals, String clientId) {
        Map<String, Object> props = new HashMap<>();
        originals.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
        return props;
    }
}
