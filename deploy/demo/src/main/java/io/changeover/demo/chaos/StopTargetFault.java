package io.changeover.demo.chaos;

import java.time.Duration;

import io.changeover.embedded.mongo.RestartableMongo;

/** The target MongoDB stopped for {@code down}, then started again on its data. */
record StopTargetFault(RestartableMongo target, Duration down) implements Fault {
    @Override
    public String inject() throws InterruptedException {
        target.stop();
        Thread.sleep(down.toMillis());   // the fault: the target is unreachable this long
        target.start();
        return "target MongoDB stopped for " + down.toSeconds() + " s, then started again on its data";
    }
}
