package io.changeover.control.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void notATerminalPrintsOnePlainLinePerInterval() {
        ProgressPrinter printer = new ProgressPrinter(out, false, 5_000);
        printer.update("a", 0);
        printer.update("b", 1_000);
        printer.update("c", 4_999);
        printer.update("d", 5_000);
        printer.update("e", 9_000);
        printer.update("f", 10_001);
        assertThat(text()).isEqualTo("a\nd\nf\n").doesNotContain("\r", "\033");
    }

    @Test
    void terminalRedrawsTheLineInPlaceAndKeepsMessagesOnTheirOwnLines() {
        ProgressPrinter printer = new ProgressPrinter(out, true, 5_000);
        printer.update("10%", 0);
        printer.update("20%", 1);
        printer.message("snapshot done");
        printer.update("30%", 2);
        String text = text();
        assertThat(text).contains("\r\033[2K10%", "\r\033[2K20%", "snapshot done\n", "\r\033[2K30%");
        assertThat(text.indexOf("snapshot done")).isGreaterThan(text.indexOf("20%"));
        assertThat(text.lines().filter(l -> l.contains("snapshot done")).findFirst().orElseThrow()).doesNotContain("20%");
    }

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
