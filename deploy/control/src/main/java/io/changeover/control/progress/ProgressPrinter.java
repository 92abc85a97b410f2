package io.changeover.control.progress;

import java.io.PrintStream;

/**
 * Prints a progress line. On a terminal the line is redrawn in place; otherwise (nohup, CI logs) one plain line is
 * printed every {@code plainIntervalMillis}, so a long run never looks hung and logs stay readable.
 */
public final class ProgressPrinter {
    private static final String CLEAR_LINE = "\r\033[2K";
    private final PrintStream out;
    private final boolean terminal;
    private final long plainIntervalMillis;
    private long lastPlainLine = Long.MIN_VALUE;
    private boolean lineOpen;

    public ProgressPrinter(PrintStream out, boolean terminal, long plainIntervalMillis) {
        this.out = out;
        this.terminal = terminal;
        this.plainIntervalMillis = plainIntervalMillis;
    }

    /** A printer for standard output: in place on a terminal, a plain line every 5 s otherwise. */
    public static ProgressPrinter forStdout() {
        return new ProgressPrinter(System.out, System.console() != null, 5_000);
    }

    /** Shows {@code line} as the current progress; {@code nowMillis} decides when a plain line is due. */
    public synchronized void update(String line, long nowMillis) {
        if (terminal) {
            out.print(CLEAR_LINE + line);
            out.flush();
            lineOpen = true;
        } else if (lastPlainLine == Long.MIN_VALUE || nowMillis - lastPlainLine >= plainIntervalMillis) {
            out.println(line);
            lastPlainLine = nowMillis;
        }
    }

    /** Prints a message on its own line, leaving the progress line intact below it on a terminal. */
    public synchronized void message(String message) {
        if (terminal && lineOpen) {
            out.print(CLEAR_LINE);
            lineOpen = false;
        }
        out.println(message);
        out.flush();
    }

    public boolean terminal() {
        return terminal;
    }
}
