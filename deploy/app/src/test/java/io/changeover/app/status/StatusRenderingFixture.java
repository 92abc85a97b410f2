package io.changeover.app.status;

/** A fixed status report for tests in other packages. */
public final class StatusRenderingFixture {
    private StatusRenderingFixture() {
    }

    public static StatusReport report() {
        return StatusRenderingTest.report(false, 7);
    }
}
