package io.changeover.stages.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stage process's {@code /metrics} (Prometheus text): Changeover's figures of the stage and its Kafka clients' own
 * metrics ({@link KafkaMetricsText}). Bound to loopback only; the migration's status is served by
 * {@code changeover run} or read with {@code changeover status}.
 */
public final class StageMetricsServer implements AutoCloseable {
    /** Prometheus's text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String LOOPBACK = "127.0.0.1";
    private static final Logger LOG = LoggerFactory.getLogger(StageMetricsServer.class);
    private final HttpServer server;
    private final ExecutorService executor;

    private StageMetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code metrics} (measured per request) at {@code /metrics} on 127.0.0.1:{@code port} (0: a free port). */
    public static StageMetricsServer start(int port, Supplier<String> metrics) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be 0..65535, not " + port);
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, port), 0);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "changeover-stage-metrics");
                t.setDaemon(true);
                return t;
            });
            server.createContext("/", exchange -> handle(exchange, metrics));
            server.setExecutor(executor);
            server.start();
            LOG.info("stage metrics on http://{}:{}/metrics", LOOPBACK, server.getAddress().getPort());
            return new StageMetricsServer(server, executor);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the stage's metrics endpoint to " + LOOPBACK + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void handle(HttpExchange exchange, Supplier<String> metrics) throws IOException {
        try {
            if (exchange.getRequestURI().getPath().equals("/metrics")) {
                send(exchange, 200, CONTENT_TYPE, metrics.get());
            } else {
                send(exchange, 404, "text/plain; charset=utf-8", "not found: " + exchange.getRequestURI().getPath() + "\n");
            }
        } catch (RuntimeException e) {
            LOG.warn("stage metrics request failed", e);
            send(exchange, 503, "text/plain; charset=utf-8", "metrics unavailable: " + e.getMessage() + "\n");
        } finally {
            exchange.close();
        }
    }

    private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
