package io.changeover.demo.chaos;

import java.time.Duration;

import io.changeover.embedded.mongo.RestartableMongo;

/**
 * The source MongoDB restarted: stopped, down for {@code down}, started again on its data. The capture's change
 * stream and the services' writes fail meanwhile; both must carry on from where they were once it serves again.
 */
record RestartSourceFault(RestartableMongo source, Duration down) implements Fault {
    @Override
    public String inject() throws InterruptedException {
        source.stop();
        Thread.sleep(down.toMillis());   // the fault: the source is unreachable this long
        source.start();
        return "source MongoDB restarted (down " + down.toSeconds() + " s)";
    }
}
