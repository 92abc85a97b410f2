package io.changeover.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.app.status.StatusReport;
import io.changeover.app.status.StatusRenderingFixture;

/**
 * The operator page as a browser renders it: headless Chromium loads it from the status endpoint, runs its script
 * and dumps the resulting DOM. Skipped where Chromium is not installed (.ci/run installs Debian's package).
 */
class OperatorPageIT {
    private static String chromium;

    @TempDir
    Path profile;

    @BeforeAll
    static void findChromium() {
        chromium = onPath("chromium").or(() -> onPath("chromium-browser")).orElse(null);
    }

    @Test
    void showsStateLagPlotAndTheCutoverBanner() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed");
        AtomicInteger requests = new AtomicInteger();
        StatusReport report = StatusRenderingFixture.report();
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, null), () -> {
            requests.incrementAndGet();
            return report;
        })) {
            String dom = render("http://127.0.0.1:" + server.port() + "/");
            assertThat(dom).contains("<span id=\"migration\">demo</span>").contains("<span id=\"state\">streaming</span>");
            assertThat(dom).contains("<b id=\"lag-records\">19</b>").contains("<b id=\"lag-seconds\">0.4</b>")
                    .contains("<b id=\"dead-letters\">3</b>");
            assertThat(dom).contains("<div id=\"banner\" class=\"blocked\">Cutover not allowed:<ul><li>3 record(s) in the dead-letter topic</li></ul></div>");
            assertThat(samples(dom, "lag-chart")).isPositive();
            assertThat(points(dom, "lag")).isNotBlank();
            assertThat(dom).contains("<td>sink</td><td>7</td>");
            assertThat(requests.get()).isPositive();
        }
    }

    @Test
    void withATokenThePageAuthenticatesItsRequests() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed");
        StatusReport report = StatusRenderingFixture.report();
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, "s3cret"), () -> report)) {
            String dom = render("http://127.0.0.1:" + server.port() + "/?token=s3cret");
            assertThat(dom).contains("<span id=\"state\">streaming</span>");
            assertThat(render("http://127.0.0.1:" + server.port() + "/")).doesNotContain("<span id=\"state\">streaming</span>");
        }
    }

    private String render(String url) throws IOException, InterruptedException {
        Path out = Files.createTempFile(profile, "dom", ".html");
        Process p = new ProcessBuilder(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.resolve("user"), "--virtual-time-budget=6000", "--dump-dom", url))
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish rendering " + url + " within 120 s");
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static int samples(String dom, String chart) {
        Matcher m = Pattern.compile("id=\"" + chart + "\"[^>]*data-samples=\"(\\d+)\"").matcher(dom);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String points(String dom, String line) {
        Matcher m = Pattern.compile("<polyline class=\"" + line + "\" points=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : "";
    }

    private static Optional<String> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
