package io.edgestream.bench.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The pipeline benchmark's driver, run by {@code scripts/bench-pipeline.sh} (which builds {@code
 * benchmarks/target/bench-pipeline.jar} and runs it): starts its own local stack, runs the chosen
 * mode ({@link ThroughputBench}, {@link LatencyBench} or {@link ScalingBench}), writes every
 * measurement to {@code <out>/results.jsonl} as it is made and finally the Markdown report {@code
 * <out>/report.md} ({@link BenchReport}). Every process it starts is stopped when it ends, also
 * after a failure. Options: {@link BenchOptions#HELP}.
 */
public final class PipelineBench {
    private PipelineBench() {}

    public static void main(String[] args) throws Exception {
        // The tools' logging (warnings only, to stderr) rather than every Kafka client's INFO.
        System.setProperty("log4j2.configurationFile", "edgestream-clients-log4j2.properties");
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (BenchOptions.HelpRequested h) {
            System.out.print(BenchOptions.HELP);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("bench-pipeline: " + e.getMessage());
            System.exit(2);
            return;
        }
        Bench b = new Bench(o);
        b.write(setup(b, args));
        switch (o.mode) {
            case THROUGHPUT -> new ThroughputBench(b).run();
            case LATENCY -> new LatencyBench(b).run();
            case SCALING -> new ScalingBench(b).run();
            case ALL -> {
                new ThroughputBench(b).run();
                new LatencyBench(b).run();
                new ScalingBench(b).run();
            }
        }
        Files.writeString(
                b.out.resolve("report.md"), BenchReport.markdown(Files.readAllLines(b.results)));
        Bench.step("done: " + b.results + " and " + b.out.resolve("report.md"));
    }

    private static ObjectNode setup(Bench b, String[] args) {
        BenchOptions o = b.o;
        ObjectNode n = Bench.record("setup");
        n.put("mode", o.mode.name().toLowerCase(java.util.Locale.ROOT));
        n.put("quick", o.quick);
        n.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        n.put("machine", Bench.machine());
        n.put("stack_java", b.stackJavaVersion());
        n.put("taskmanagers", o.taskManagers);
        boolean scaling = o.mode == BenchOptions.Mode.SCALING;
        // --scaling has its own stack: one slot per TaskManager (ScalingBench).
        n.put("slots", scaling ? 1 : o.slots);
        n.put("parallelism", scaling ? o.taskManagers : o.parallelism);
        n.put("partitions", scaling ? o.taskManagers : o.partitions);
        n.put("cameras", scaling ? o.taskManagers : o.cameras);
        n.put(
                "tm_memory",
                o.mode == BenchOptions.Mode.SCALING
                        ? o.scalingTmMemory
                        : o.tmMemory == null ? "stack default" : o.tmMemory);
        n.put("checkpoint_ms", o.checkpointMs);
        n.put("width", o.width);
        n.put("height", o.height);
        n.put(
                "filters",
                o.filters == null ? JobDefaults.FILTERS + " (the job's default)" : o.filters);
        n.put("images", o.images);
        n.put("warmup", o.warmup);
        n.put("python_processes", o.pythonProcesses);
        n.put("job_args", String.join(" ", o.jobArgs));
        ArrayNode a = n.putArray("args");
        for (String s : args) {
            a.add(s);
        }
        return n;
    }
}
