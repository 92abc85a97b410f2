package io.changeover.control.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.changeover.control.status.StatusReport;
import io.changeover.control.status.StatusRenderingFixture;

/** The endpoint over a real socket: JSON, metrics, the token rule. */
class StatusServerIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesJsonAndMetricsOnLoopback() throws Exception {
        StatusReport report = StatusRenderingFixture.report();
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, null), () -> report, StatusRenderingFixture::history)) {
            HttpResponse<String> json = get(server, "/status", null);
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(json.body()).contains("\"migration\" : \"demo\"");
            HttpResponse<String> history = get(server, "/history", null);
            assertThat(history.statusCode()).isEqualTo(200);
            assertThat(history.body()).contains("\"samples\"").contains("\"lagChanges\" : 30000");
            HttpResponse<String> metrics = get(server, "/metrics", null);
            assertThat(metrics.body()).contains("changeover_stage_lag_changes{migration=\"demo\",stage=\"sink\"} 7");
            assertThat(get(server, "/nothing", null).statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withATokenEveryRequestMustCarryIt() throws Exception {
        StatusReport report = StatusRenderingFixture.report();
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, "s3cret"), () -> report, StatusRenderingFixture::history)) {
            assertThat(get(server, "/status", null).statusCode()).isEqualTo(401);
            assertThat(get(server, "/status", "wrong").statusCode()).isEqualTo(401);
            assertThat(get(server, "/status", "s3cret").statusCode()).isEqualTo(200);
            assertThat(get(server, "/metrics?token=s3cret", null).statusCode()).isEqualTo(200);
            assertThat(get(server, "/history", null).statusCode()).isEqualTo(401);
            assertThat(get(server, "/history", "s3cret").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFailingMeasurementIsA503NamingTheCause() throws Exception {
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, null), () -> {
            throw new IllegalStateException("status not available: Kafka is down");
        }, StatusRenderingFixture::history)) {
            HttpResponse<String> r = get(server, "/status", null);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.body()).contains("Kafka is down");
        }
    }

    private HttpResponse<String> get(StatusServer server, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
