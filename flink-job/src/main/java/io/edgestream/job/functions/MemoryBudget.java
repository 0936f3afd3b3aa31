package io.edgestream.job.functions;

import java.util.Locale;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * How much memory one image may need in the decode step of one slot, and where that number comes
 * from. Images are refused from their header when their cost exceeds it ({@code
 * MEMORY_BUDGET_EXCEEDED}), so the heap is never overrun by one record.
 *
 * <p>With {@code memory.budget=auto} the budget is {@value #AUTO_FRACTION_PERCENT}% of the
 * TaskManager's task heap divided by its slots: a slot may spend that much on the image it is
 * decoding, while the rest of its share stays for what else runs in the slot (the convolution and
 * merge tasks, the Kafka producers' buffers, the source's fetches). The task heap is {@code
 * taskmanager.memory.task.heap.size} as the TaskManager computed it at start; where it is not known
 * (an embedded MiniCluster) the JVM's maximum heap stands in for it.
 *
 * @param bytes the budget in bytes
 * @param source how it was derived, for messages and logs
 */
public record MemoryBudget(long bytes, String source) {

    /** Share of a slot's task heap that one image may use, in percent. */
    public static final int AUTO_FRACTION_PERCENT = 50;

    /** The budget for {@code limits} on the TaskManager described by {@code taskManagerConfig}. */
    public static MemoryBudget resolve(
            InputLimits limits, Configuration taskManagerConfig, long maxHeapBytes) {
        if (limits.memoryBudgetBytes() != InputLimits.AUTO) {
            return new MemoryBudget(limits.memoryBudgetBytes(), "memory.budget");
        }
        int slots = Math.max(1, taskManagerConfig.get(TaskManagerOptions.NUM_TASK_SLOTS));
        MemorySize taskHeap =
                taskManagerConfig.getOptional(TaskManagerOptions.TASK_HEAP_MEMORY).orElse(null);
        long heap = taskHeap != null ? taskHeap.getBytes() : maxHeapBytes;
        String what =
                taskHeap != null
                        ? "task heap " + mib(heap) + " (taskmanager.memory.task.heap.size)"
                        : "JVM heap " + mib(heap);
        long bytes = heap / slots * AUTO_FRACTION_PERCENT / 100;
        return new MemoryBudget(
                bytes,
                "memory.budget=auto: "
                        + AUTO_FRACTION_PERCENT
                        + "% of the "
                        + what
                        + " / "
                        + slots
                        + " slot(s)");
    }

    /** {@code bytes} in MiB with one decimal, for messages. */
    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    @Override
    public String toString() {
        return mib(bytes) + " (" + source + ")";
    }
}
