package io.changeover.control.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.changeover.control.status.LagHistory;
import io.changeover.control.status.PrometheusText;
import io.changeover.control.status.StatusJson;
import io.changeover.control.status.StatusReport;

/**
 * Serves the migration's status over HTTP: {@code /status} (JSON), {@code /history} (the lag samples kept, JSON),
 * {@code /metrics} (Prometheus text) and {@code /} (the operator page). With a token, every request must carry {@code Authorization: Bearer <token>} or
 * {@code ?token=<token>}.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final String PAGE = "/web/index.html";
    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<StatusReport> status;
    private final Supplier<LagHistory> history;
    private final String token;

    private StatusServer(HttpServer server, Supplier<StatusReport> status, Supplier<LagHistory> history, String token) {
        this.server = server;
        this.status = status;
        this.history = history;
        this.token = token;
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "changeover-status-http");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts serving; {@code status} is called per request (give it a cached supplier), {@code history} for
     * {@code /history}.
     */
    public static StatusServer start(HttpBinding binding, Supplier<StatusReport> status, Supplier<LagHistory> history) {
        try {
            StatusServer s = new StatusServer(HttpServer.create(binding.address(), 0), status, history, binding.token());
            s.server.createContext("/", s::handle);
            s.server.setExecutor(s.executor);
            s.server.start();
            LOG.info("status endpoint on http://{}:{}/", binding.host(), s.port());
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the status endpoint to " + binding.host() + ":" + binding.port()
                    + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            if (!authorized(exchange)) {
                send(exchange, 401, "text/plain; charset=utf-8", "missing or wrong access token\n");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/status" -> send(exchange, 200, "application/json", StatusJson.render(status.get()));
                case "/history" -> send(exchange, 200, "application/json", StatusJson.render(history.get()));
                case "/metrics" -> send(exchange, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(status.get()));
                case "/", "/index.html" -> sendResource(exchange, PAGE, "text/html; charset=utf-8");
                default -> send(exchange, 404, "text/plain; charset=utf-8", "not found: " + path + "\n");
            }
        } catch (RuntimeException e) {
            LOG.warn("status request failed", e);
            send(exchange, 503, "text/plain; charset=utf-8", "status unavailable: " + e.getMessage() + "\n");
        } finally {
            exchange.close();
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (token == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim() : queryToken(exchange);
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private static String queryToken(HttpExchange exchange) {
        String query = exchange.getRequestURI().getQuery();
        if (query == null) {
            return null;
        }
        for (String part : query.split("&")) {
            if (part.startsWith("token=")) {
                return part.substring(6);
            }
        }
        return null;
    }

    private static void sendResource(HttpExchange exchange, String resource, String type) throws IOException {
        try (InputStream in = StatusServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "no operator page in this build\n");
                return;
            }
            send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
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
