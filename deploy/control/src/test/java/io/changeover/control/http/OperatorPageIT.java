package io.changeover.control.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.changeover.control.status.Flow;
import io.changeover.control.status.LagFigures;
import io.changeover.control.status.LagHistory;
import io.changeover.control.status.StatusRenderingFixture;
import io.changeover.control.status.StatusReport;

/**
 * The operator page as a browser renders it: headless Chromium loads it from the status endpoint, runs its script
 * (fetching {@code /history}, then polling {@code /status}) and dumps the resulting DOM. Skipped where Chromium is
 * not installed (.ci/run installs Debian's package).
 */
class OperatorPageIT {
    private static final String[] CHARTS = {"lag-seconds-chart", "lag-changes-chart", "rates-chart"};
    private static String chromium;

    @TempDir
    Path profile;

    @BeforeAll
    static void findChromium() {
        chromium = onPath("chromium").or(() -> onPath("chromium-browser")).orElse(null);
    }

    @Test
    void showsLagRatesTimeToZeroDeadLettersCollectionsAndCharts() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed");
        AtomicInteger requests = new AtomicInteger();
        StatusReport report = StatusRenderingFixture.report();
        LagHistory history = StatusRenderingFixture.history();
        int kept = history.samples().size();
        // each poll is measured 2 s after the previous one, after the history's last sample
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, null),
                () -> measuredAt(report, requests.incrementAndGet()), () -> history)) {
            String dom = render("http://127.0.0.1:" + server.port() + "/");

            assertThat(dom).contains("<span id=\"migration\">demo</span>").contains("<span id=\"state\">streaming</span>");
            assertThat(figure(dom, "headline-lag")).startsWith("lag 12.5 s");
            assertThat(figure(dom, "headline-changes")).contains("19");
            assertThat(figure(dom, "headline-rates")).contains("source 100 · applied 110").contains("over the last 30 s");
            assertThat(figure(dom, "headline-time-to-zero")).contains("about 1.9 s");
            assertThat(figure(dom, "headline-dead-letters")).isEqualTo("dead letters 3");
            assertThat(dom).contains("<div id=\"banner\" class=\"blocked\">Cutover not allowed:<ul><li>3 record(s) in the dead-letter topic</li></ul></div>");

            assertThat(dom).contains("<td>jobs \u2192 jobs_v2</td><td>done, 20,000 read</td><td>12.5 s</td><td>19</td><td>100</td><td>110</td><td>about 1.9 s</td>")
                    .contains("<td>owners (lookup)</td><td>–</td><td>0 s</td><td>0</td>")
                    .contains("<td class=\"ok\">caught up</td>");
            assertThat(dom).contains("<td>jobs</td><td>10</td><td>2</td><td>5</td><td>7</td>");
            assertThat(dom).contains("<td>transform</td><td>12</td><td>12.5 s</td><td>5</td><td>1,100</td>")
                    .contains("<td>sink</td><td>7</td><td>3 s</td>");
            assertThat(dom).contains("<span id=\"dead-letter-count\">3</span>")
                    .contains("<td>2026-11-21 10:00:00</td><td class=\"text\">transform</td><td class=\"text\">jobs</td><td class=\"text\">remap: not a valid id</td>");
            assertThat(dom).contains("<li>replay at risk: raw topic x has retention.ms=1000</li>");
            assertThat(dom).contains("<p id=\"error\"></p>");

            int polled = requests.get();
            assertThat(polled).isPositive();
            for (String chart : CHARTS) {
                int samples = samples(dom, chart);
                assertThat(samples).as(chart + " samples: the history's and the polled ones")
                        .isGreaterThan(kept).isLessThanOrEqualTo(kept + polled);
                String svg = chart(dom, chart);
                List<String> lines = chart.equals("rates-chart") ? List.of("source", "applied")
                        : List.of(chart.replace("-chart", ""));
                for (String line : lines) {
                    assertThat(points(svg, line)).as(chart + " " + line + " points").hasSize(samples);
                }
                List<String> xTicks = ticks(svg, "x");
                assertThat(xTicks).as(chart + " time ticks").hasSizeGreaterThanOrEqualTo(3)
                        .allMatch(t -> t.matches("\\d\\d:\\d\\d(:\\d\\d)?")).anyMatch(t -> t.startsWith("09:5"));
                assertThat(ticks(svg, "y")).as(chart + " value ticks").hasSizeGreaterThanOrEqualTo(2).contains("0");
            }
            assertThat(chart(dom, "lag-seconds-chart")).contains("<text class=\"unit\"").contains(">s</text>");
            assertThat(ticks(chart(dom, "lag-seconds-chart"), "y")).contains("300");
            assertThat(chart(dom, "lag-changes-chart")).contains(">changes</text>");
            assertThat(ticks(chart(dom, "lag-changes-chart"), "y")).contains("30k");
            assertThat(chart(dom, "rates-chart")).contains(">changes/s</text>").contains(">source</text>").contains(">applied</text>");
            // the history ends caught up (at the bottom); the first poll after it is 12.5 s behind, right of it and higher
            List<String> lag = points(chart(dom, "lag-seconds-chart"), "lag-seconds");
            assertThat(coordinate(lag.get(kept), 0)).isGreaterThan(coordinate(lag.get(kept - 1), 0));
            assertThat(coordinate(lag.get(kept), 1)).isLessThan(coordinate(lag.get(kept - 1), 1));
        }
    }

    @Test
    void whileSnapshottingTheHeadlineShowsSnapshotProgressInsteadOfLagSeconds() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed");
        StatusReport report = StatusRenderingFixture.snapshotting();
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, null), () -> report,
                StatusRenderingFixture::history)) {
            String dom = render("http://127.0.0.1:" + server.port() + "/");
            assertThat(dom).contains("<span id=\"state\">snapshotting</span>");
            assertThat(figure(dom, "headline-lag")).isEqualTo("snapshot 25% 30 s left");
            assertThat(figure(dom, "headline-changes")).contains("15,000");
            assertThat(figure(dom, "headline-rates")).startsWith("changes per second unknown");
            assertThat(figure(dom, "headline-time-to-zero")).isEqualTo("time to zero lag unknown");
            assertThat(dom).contains("<td>jobs \u2192 jobs_v2</td><td class=\"warn\">25%, 5,000 / 20,000, 30 s left</td><td>snapshot 25%, 30 s left</td><td>15,000</td>");
            assertThat(dom).contains("<li>the snapshot is not finished</li>");
        }
    }

    @Test
    void aLagOfUnknownAgeIsNeverCaughtUp() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed");
        StatusReport r = StatusRenderingFixture.report();
        // the capture has written nothing yet: nothing is held, but lag is not known to be zero
        LagFigures unknown = new LagFigures(-1, 0, new Flow(0, 0, 30));
        StatusReport report = new StatusReport(r.migration(), r.at(), r.state(), r.stateReason(), r.stateSince(), unknown,
                r.collections(), r.stages(), r.instances(), r.deadLetters(), r.cutover(), r.warnings());
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, null), () -> report,
                StatusRenderingFixture::history)) {
            String dom = render("http://127.0.0.1:" + server.port() + "/");
            assertThat(figure(dom, "headline-lag")).contains("unknown");
            assertThat(figure(dom, "headline-time-to-zero")).contains("unknown").doesNotContain("caught up");
        }
    }

    @Test
    void withATokenThePageAuthenticatesBothRequests() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed");
        StatusReport report = StatusRenderingFixture.report();
        LagHistory history = StatusRenderingFixture.history();
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, "s3cret"), () -> report, () -> history)) {
            // fetch('history') and fetch('status') carry no ?token=: only the bearer header authenticates them
            String dom = render("http://127.0.0.1:" + server.port() + "/?token=s3cret");
            assertThat(dom).contains("<span id=\"state\">streaming</span>").contains("<p id=\"error\"></p>");
            for (String chart : CHARTS) {
                assertThat(samples(dom, chart)).as(chart).isGreaterThanOrEqualTo(history.samples().size());
            }

            String refused = render("http://127.0.0.1:" + server.port() + "/");
            assertThat(refused).contains("missing or wrong access token").doesNotContain("<span id=\"state\">streaming</span>")
                    .doesNotContain("lag-seconds-chart");
        }
    }

    @Test
    void whenStatusFailsThePageSaysSoAndStillChartsTheHistory() throws Exception {
        assumeTrue(chromium != null, "chromium is not installed");
        LagHistory history = StatusRenderingFixture.history();
        try (StatusServer server = StatusServer.start(new HttpBinding("127.0.0.1", 0, null), () -> {
            throw new IllegalStateException("kafka is unreachable");
        }, () -> history)) {
            String dom = render("http://127.0.0.1:" + server.port() + "/");
            assertThat(dom).contains("<p id=\"error\">status unavailable: HTTP 503 (status unavailable: kafka is unreachable)</p>")
                    .contains("<span id=\"state\">loading</span>");
            for (String chart : CHARTS) {
                assertThat(samples(dom, chart)).as(chart).isEqualTo(history.samples().size());
            }
            assertThat(points(chart(dom, "lag-changes-chart"), "lag-changes")).hasSize(history.samples().size());
        }
    }

    /** {@code report} as measured {@code n} polls of 2 s after it. */
    private static StatusReport measuredAt(StatusReport r, int n) {
        return new StatusReport(r.migration(), r.at().plusSeconds(2L * n), r.state(), r.stateReason(), r.stateSince(), r.lag(),
                r.collections(), r.stages(), r.instances(), r.deadLetters(), r.cutover(), r.warnings());
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

    /** A headline figure's text: label, value and note, separated by single spaces. */
    private static String figure(String dom, String id) {
        Matcher m = Pattern.compile("<div id=\"" + id + "\"[^>]*>(.*?)</div>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("figure " + id).isTrue();
        return m.group(1).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ").trim();
    }

    private static String chart(String dom, String id) {
        Matcher m = Pattern.compile("<svg id=\"" + id + "\"[^>]*>(.*?)</svg>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("chart " + id).isTrue();
        return m.group(1);
    }

    private static int samples(String dom, String chart) {
        Matcher m = Pattern.compile("<svg id=\"" + chart + "\"[^>]*data-samples=\"(\\d+)\"").matcher(dom);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static List<String> points(String svg, String line) {
        Matcher m = Pattern.compile("<polyline class=\"line " + line + "\" points=\"([^\"]*)\"").matcher(svg);
        assertThat(m.find()).as("polyline " + line).isTrue();
        return m.group(1).isBlank() ? List.of() : List.of(m.group(1).trim().split("\\s+"));
    }

    private static double coordinate(String point, int axis) {
        return Double.parseDouble(point.split(",")[axis]);
    }

    private static List<String> ticks(String svg, String axis) {
        Matcher m = Pattern.compile("<text class=\"tick " + axis + "\"[^>]*>([^<]*)</text>").matcher(svg);
        List<String> ticks = new ArrayList<>();
        while (m.find()) {
            ticks.add(m.group(1));
        }
        return ticks;
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
