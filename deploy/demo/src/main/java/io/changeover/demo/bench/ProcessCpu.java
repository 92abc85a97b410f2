package io.changeover.demo.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time used by this JVM so far, every thread included. Divided by the changes of a streaming phase it gives the
 * pipeline's cost per change, a figure that other load on the machine distorts far less than latency does.
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    /** Process CPU time in nanoseconds, or -1 where the JVM does not report it. */
    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
