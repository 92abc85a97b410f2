package io.changeover.control.status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import io.changeover.transform.topics.Topics;

/**
 * The live processes of each stage, as their Kafka consumer groups see them: the capture lease's group (the member
 * assigned its partition is the active capture, the others standbys), the transform's Kafka Streams application (one
 * member per stream thread, grouped into processes) and the sink's group. A stage run inside {@code changeover run}
 * shows in the transform and sink groups; its capture takes no lease.
 */
public final class StageInstances {
    private static final long TIMEOUT_SECONDS = 15;
    private static final String STREAM_THREAD = "-StreamThread-";
    private final Admin admin;
    private final Topics topics;

    public StageInstances(Admin admin, Topics topics) {
        this.admin = admin;
        this.topics = topics;
    }

    /**
     * One live process of a stage.
     *
     * @param stage      capture, transform or sink
     * @param id         the process's client id (for the transform, without its thread suffix)
     * @param host       the address Kafka sees it from
     * @param role       capture: {@code active} or {@code standby}; others: {@code member}
     * @param partitions partitions assigned to it
     */
    public record Instance(String stage, String id, String host, String role, int partitions) {
    }

    public List<Instance> live() {
        Map<String, ConsumerGroupDescription> groups = describe(List.of(topics.captureLeaseGroupId(),
                topics.transformApplicationId(), topics.sinkGroupId()));
        List<Instance> result = new ArrayList<>();
        members(groups.get(topics.captureLeaseGroupId())).forEach(m -> result.add(new Instance("capture", m.clientId(),
                m.host(), m.assignment().topicPartitions().isEmpty() ? "standby" : "active",
                m.assignment().topicPartitions().size())));
        Map<String, Instance> transforms = new LinkedHashMap<>();
        for (MemberDescription m : members(groups.get(topics.transformApplicationId()))) {
            String process = process(m.clientId());
            transforms.merge(process, new Instance("transform", process, m.host(), "member",
                    m.assignment().topicPartitions().size()), (a, b) -> new Instance(a.stage(), a.id(), a.host(), a.role(),
                    a.partitions() + b.partitions()));
        }
        result.addAll(transforms.values());
        members(groups.get(topics.sinkGroupId())).forEach(m -> result.add(new Instance("sink", m.consumerId(), m.host(),
                "member", m.assignment().topicPartitions().size())));
        return result;
    }

    /** A stream thread's client id without its thread suffix: the process it runs in. */
    static String process(String clientId) {
        int thread = clientId.indexOf(STREAM_THREAD);
        return thread < 0 ? clientId : clientId.substring(0, thread);
    }

    private static List<MemberDescription> members(ConsumerGroupDescription group) {
        if (group == null) {
            return List.of();
        }
        return group.members().stream().sorted(Comparator.comparing(MemberDescription::clientId)
                .thenComparing(MemberDescription::consumerId)).toList();
    }

    /** The groups that exist (a stage never started has none: Kafka answers "not found"). */
    private Map<String, ConsumerGroupDescription> describe(List<String> groups) {
        Map<String, ConsumerGroupDescription> result = new LinkedHashMap<>();
        var described = admin.describeConsumerGroups(groups).describedGroups();
        for (String group : groups) {
            try {
                result.put(group, described.get(group).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing the stages' processes", e);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    throw new IllegalStateException("cannot list the processes of group " + group + " from Kafka: "
                            + e.getCause().getMessage(), e);
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot list the processes of group " + group + " from Kafka within "
                        + TIMEOUT_SECONDS + " s", e);
            }
        }
        return result;
    }
}
