package io.changeover.demo.chaos;

import java.util.List;
import java.util.Random;

/** SIGKILL of one running process of a stage, picked at random; the supervisor starts it again. */
record KillStageFault(String stage, StageSupervisor supervisor, Random random) implements Fault {
    @Override
    public String inject() throws InterruptedException {
        List<StageProcess> running = supervisor.running(stage);
        if (running.isEmpty()) {
            return "no " + stage + " process running to kill";
        }
        StageProcess victim = running.get(random.nextInt(running.size()));
        victim.kill();
        return "SIGKILL " + victim.name();
    }
}
