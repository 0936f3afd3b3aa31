package io.edgestream.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Markdown report of a pipeline benchmark run, made from its {@code results.jsonl} alone (so a
 * results file can be re-reported): one throughput table per input format with the ratios and their
 * targets, the latency table, the scaling tables.
 *
 * <pre>
 * java -cp benchmarks/target/bench-pipeline.jar io.edgestream.bench.pipeline.BenchReport results.jsonl
 * </pre>
 */
public final class BenchReport {
    /** Target of edge/copy images/s (issue 13). */
    static final double COPY_TARGET = 0.8;

    private BenchReport() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchReport RESULTS.jsonl  (prints the Markdown report)");
            System.exit(2);
        }
        System.out.print(markdown(Files.readAllLines(Path.of(args[0]))));
    }

    /** The edge/Python target for a map encoding (issue 13), or 0 for none. */
    static double pythonTarget(String encoding) {
        return encoding.equals("FLOAT32") ? 2.0 : isInt16(encoding) ? 3.0 : 0;
    }

    /** Target of today's edge job over the baseline jar's (FLOAT32 maps). */
    static double baselineTarget(String encoding) {
        return encoding.equals("FLOAT32") ? 1.3 : isInt16(encoding) ? 2.0 : 0;
    }

    /** INT16 maps, possibly with per-filter exceptions the job cannot prove (INT16,sobel=...). */
    private static boolean isInt16(String encoding) {
        return encoding.equals("INT16") || encoding.startsWith("INT16,");
    }

    /** The report of the JSON lines of one run. */
    public static String markdown(List<String> jsonLines) {
        List<JsonNode> rows = new ArrayList<>();
        for (String l : jsonLines) {
            if (!l.isBlank()) {
                try {
                    rows.add(Bench.JSON.readTree(l));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line: " + l, e);
                }
            }
        }
        StringBuilder md = new StringBuilder("# Pipeline benchmark\n\n");
        JsonNode setup = rows.stream().filter(r -> phase(r, "setup")).findFirst().orElse(null);
        if (setup != null) {
            setup(md, setup);
        }
        throughput(md, rows);
        latency(md, rows);
        scaling(md, rows);
        return md.toString();
    }

    private static boolean phase(JsonNode r, String p) {
        return r.path("phase").asText().equals(p);
    }

    private static void setup(StringBuilder md, JsonNode s) {
        md.append(
                String.format(
                        Locale.ROOT,
                        "Run of %s, mode %s%s (`scripts/bench-pipeline.sh %s`).%n%n",
                        s.path("date").asText(),
                        s.path("mode").asText(),
                        s.path("quick").asBoolean()
                                ? ", **quick (smoke run: too few images for figures to quote)**"
                                : "",
                        String.join(" ", strings(s.path("args")))));
        md.append("- Machine: ")
                .append(s.path("machine").asText())
                .append(
                        "; the broker, the Flink processes, the peers and this driver all share it.\n");
        md.append(
                String.format(
                        Locale.ROOT,
                        "- Stack: one Kafka broker, Flink with %d TaskManagers x %d slots (TaskManager memory: %s), on %s; job parallelism %d; %d partitions per topic; frames from %d cameras (record keys).%n",
                        s.path("taskmanagers").asInt(),
                        s.path("slots").asInt(),
                        s.path("tm_memory").asText(),
                        s.path("stack_java").asText(),
                        s.path("parallelism").asInt(),
                        s.path("partitions").asInt(),
                        s.path("cameras").asInt()));
        md.append(
                String.format(
                        Locale.ROOT,
                        "- Frames %dx%d; filters %s; %s%s.%n",
                        s.path("width").asInt(),
                        s.path("height").asInt(),
                        s.path("filters").asText(),
                        s.path("mode").asText().equals("latency")
                                ? "checkpoint intervals as in the table"
                                : "checkpoint interval " + s.path("checkpoint_ms").asLong() + " ms",
                        s.path("job_args").asText().isEmpty()
                                ? ""
                                : "; extra job options `" + s.path("job_args").asText() + "`"));
        if (s.path("mode").asText().equals("throughput") || s.path("mode").asText().equals("all")) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "- Per format: %d warm-up images, then %d measured; Python service: %d processes.%n",
                            s.path("warmup").asInt(),
                            s.path("images").asInt(),
                            s.path("python_processes").asInt()));
        }
        md.append('\n');
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static String label(String format) {
        return switch (format) {
            case "gray8" -> "RAW GRAY8";
            case "rgb8" -> "RAW RGB8";
            case "jpeg" -> "JPEG RGB";
            default -> format;
        };
    }

    private static String runLabel(JsonNode r) {
        return switch (r.path("run").asText()) {
            case "edge" -> "edge job";
            case "baseline" -> "baseline edge job (--baseline-jar)";
            case "copy" -> "byte-matched copy job";
            case ThroughputBench.CEILING ->
                    "Kafka ceiling (" + r.path("producers").asInt() + " transactional producers)";
            case ThroughputBench.CEILING_PER_MAP ->
                    "Kafka ceiling, one record per map (the Python service's records; "
                            + r.path("producers").asInt()
                            + " transactional producers)";
            case "python" ->
                    "Python service (" + r.path("processes").asInt() + " processes, at least once)";
            default -> r.path("run").asText();
        };
    }

    private static void throughput(StringBuilder md, List<JsonNode> rows) {
        List<JsonNode> tp = rows.stream().filter(r -> phase(r, "throughput")).toList();
        List<JsonNode> skipped = rows.stream().filter(r -> phase(r, "skipped")).toList();
        if (tp.isEmpty() && skipped.isEmpty()) {
            return;
        }
        md.append("## Throughput\n\n");
        md.append(
                "Steady state: the images made visible to a `read_committed` reader between the first commit after the warm-up images and the last commit, "
                        + "divided by the time between those two commits (the window, and the commits in it: a window of few commits gives only a rough rate); *cold* is all images from the moment the job (or service) ran to the last one visible. "
                        + "MB/s are record values (input images; maps and statistics out). CPU is the user + system time of each process in the steady-state window "
                        + "(`/proc/<pid>/stat`), in milliseconds per input megapixel; *peer* is the Python service's processes or the ceiling's producer process.\n\n");
        Set<String> formats = new LinkedHashSet<>();
        tp.forEach(r -> formats.add(r.path("format").asText()));
        skipped.forEach(r -> formats.add(r.path("format").asText()));
        for (String f : formats) {
            List<JsonNode> fr =
                    tp.stream().filter(r -> r.path("format").asText().equals(f)).toList();
            md.append("### ").append(label(f));
            if (!fr.isEmpty()) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                " %dx%d",
                                fr.get(0).path("width").asInt(),
                                fr.get(0).path("height").asInt()));
            }
            md.append("\n\n");
            if (!fr.isEmpty()) {
                md.append(
                        "| run | maps | images/s | window s (commits) | cold images/s | MB/s in | MB/s out | records out per image | CPU ms/MP broker | TaskManagers | JobManager | peer | total |\n");
                md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
                for (JsonNode r : fr) {
                    JsonNode c = r.path("cpu_ms_per_mp");
                    md.append(
                            String.format(
                                    Locale.ROOT,
                                    "| %s | %s | %.1f | %.1f (%d) | %.1f | %.1f | %.1f | %d | %s | %s | %s | %s | %.1f |%n",
                                    runLabel(r),
                                    r.path("encoding").asText(),
                                    r.path("images_per_s").asDouble(),
                                    r.path("window_s").asDouble(),
                                    r.path("window_commits").asInt(),
                                    r.path("cold_images_per_s").asDouble(),
                                    r.path("mb_in_per_s").asDouble(),
                                    r.path("mb_out_per_s").asDouble(),
                                    r.path("out_records_per_image").asInt(),
                                    cpu(c, "broker"),
                                    cpu(c, "taskmanagers"),
                                    cpu(c, "jobmanager"),
                                    cpu(c, "peer"),
                                    r.path("cpu_ms_per_mp_total").asDouble()));
                }
                md.append('\n');
                ratios(md, fr);
            }
            for (JsonNode s : skipped) {
                if (s.path("format").asText().equals(f)) {
                    md.append("- Skipped ")
                            .append(
                                    s.has("run")
                                            ? "the " + s.path("run").asText() + " run with maps "
                                            : "maps ")
                            .append(s.path("encoding").asText())
                            .append(": ")
                            .append(s.path("reason").asText())
                            .append('\n');
                }
            }
            md.append('\n');
        }
    }

    private static String cpu(JsonNode c, String role) {
        return c.has(role) ? String.format(Locale.ROOT, "%.1f", c.path(role).asDouble()) : "-";
    }

    private static void ratios(StringBuilder md, List<JsonNode> fr) {
        Set<String> encodings = new LinkedHashSet<>();
        fr.forEach(r -> encodings.add(r.path("encoding").asText()));
        List<String> lines = new ArrayList<>();
        for (String enc : encodings) {
            JsonNode edge = find(fr, "edge", enc);
            if (edge == null) {
                continue;
            }
            double e = edge.path("images_per_s").asDouble();
            JsonNode copy = find(fr, "copy", enc);
            if (copy != null) {
                double r = e / copy.path("images_per_s").asDouble();
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "| edge / copy | %s | %.2f | >= %.1f: %s |",
                                enc,
                                r,
                                COPY_TARGET,
                                r >= COPY_TARGET ? "met" : "**not met**"));
            }
            JsonNode py = find(fr, "python", enc);
            if (py != null) {
                lines.add(
                        timesRow(
                                "edge / Python",
                                enc,
                                e / py.path("images_per_s").asDouble(),
                                pythonTarget(enc),
                                "%.0f"));
            }
            JsonNode baseline = find(fr, "baseline", ThroughputBench.BASELINE_ENCODING);
            if (baseline != null) {
                lines.add(
                        timesRow(
                                "edge / baseline jar (FLOAT32 maps)",
                                enc,
                                e / baseline.path("images_per_s").asDouble(),
                                baselineTarget(enc),
                                "%.1f"));
            }
            JsonNode ceiling = find(fr, ThroughputBench.CEILING, enc);
            if (ceiling != null) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "| edge / Kafka ceiling | %s | %.2f | - |",
                                enc,
                                e / ceiling.path("images_per_s").asDouble()));
            }
            JsonNode perMap = find(fr, ThroughputBench.CEILING_PER_MAP, enc);
            if (py != null && perMap != null) {
                // Nothing writing the Python service's records commits them faster than Kafka
                // alone takes them: written that way, edge / Python is at most ceiling / Python.
                double p = py.path("images_per_s").asDouble();
                double c = perMap.path("images_per_s").asDouble();
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "| Python / Kafka ceiling (one record per map) | %s | %.2f | - |",
                                enc,
                                p / c));
                lines.add(
                        timesRow(
                                "highest edge / Python that Kafka alone allows (ceiling per map / Python)",
                                enc,
                                c / p,
                                0,
                                "%.0f"));
            }
        }
        if (!lines.isEmpty()) {
            md.append("| ratio of images/s | maps | value | target |\n|---|---|---:|---|\n");
            lines.forEach(l -> md.append(l).append('\n'));
            md.append('\n');
        }
    }

    /** A ratio row in times, against {@code target} (0: none) printed with {@code targetFormat}. */
    private static String timesRow(
            String label, String enc, double ratio, double target, String targetFormat) {
        String verdict =
                target == 0
                        ? "-"
                        : ">= "
                                + String.format(Locale.ROOT, targetFormat, target)
                                + "x: "
                                + (ratio >= target ? "met" : "**not met**");
        return String.format(Locale.ROOT, "| %s | %s | %.2fx | %s |", label, enc, ratio, verdict);
    }

    private static JsonNode find(List<JsonNode> rows, String run, String enc) {
        return rows.stream()
                .filter(
                        r ->
                                r.path("run").asText().equals(run)
                                        && r.path("encoding").asText().equals(enc))
                .findFirst()
                .orElse(null);
    }

    private static void latency(StringBuilder md, List<JsonNode> rows) {
        List<JsonNode> lat = rows.stream().filter(r -> phase(r, "latency")).toList();
        if (lat.isEmpty()) {
            return;
        }
        JsonNode f = lat.get(0);
        md.append(
                String.format(
                        Locale.ROOT,
                        "## Latency%n%n%s %dx%d frames sent at fixed rates, each with its send time as capture time; latency = the moment its last statistics record is visible to a `read_committed` reader minus that. "
                                + "*Achieved* = frames / (last visible - first sent); *keeps up* = the median latency of the last quarter of the frames is at most one checkpoint interval (or 0.5 s) above that of the first quarter. "
                                + "The sustained rate of an interval is the highest rate that keeps up.%n%n",
                        label(f.path("format").asText()),
                        f.path("width").asInt(),
                        f.path("height").asInt()));
        md.append(
                "| checkpoint interval (ms) | rate (frames/s) | frames | p50 (ms) | p99 (ms) | max (ms) | achieved (frames/s) | keeps up |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (JsonNode r : lat) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %s | %d | %d | %d | %d | %.1f | %s |%n",
                            r.path("checkpoint_ms").asLong(),
                            num(r.path("rate").asDouble()),
                            r.path("frames").asInt(),
                            r.path("p50_ms").asLong(),
                            r.path("p99_ms").asLong(),
                            r.path("max_ms").asLong(),
                            r.path("achieved_per_s").asDouble(),
                            r.path("keeps_up").asBoolean() ? "yes" : "**no**"));
        }
        md.append('\n');
        Set<Long> intervals = new TreeSet<>();
        lat.forEach(r -> intervals.add(r.path("checkpoint_ms").asLong()));
        for (long i : intervals) {
            double best =
                    lat.stream()
                            .filter(
                                    r ->
                                            r.path("checkpoint_ms").asLong() == i
                                                    && r.path("keeps_up").asBoolean())
                            .mapToDouble(r -> r.path("rate").asDouble())
                            .max()
                            .orElse(0);
            md.append(
                    String.format(
                            Locale.ROOT,
                            "- checkpoints every %d ms: sustained %s%n",
                            i,
                            best == 0
                                    ? "none of the rates tried"
                                    : num(best)
                                            + " frames/s (the highest rate tried that keeps up)"));
        }
        md.append('\n');
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }

    private static void scaling(StringBuilder md, List<JsonNode> rows) {
        List<JsonNode> cost = rows.stream().filter(r -> phase(r, "scaling_cost")).toList();
        List<JsonNode> par = rows.stream().filter(r -> phase(r, "scaling_parallelism")).toList();
        List<JsonNode> big = rows.stream().filter(r -> phase(r, "scaling_big")).toList();
        if (cost.isEmpty() && par.isEmpty() && big.isEmpty()) {
            return;
        }
        md.append("## Scaling\n\n");
        if (!cost.isEmpty()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "Cost per pixel: RAW GRAY8 blocks of one size through one warm edge job (parallelism %d, one slot per TaskManager, TaskManager heap %s); a block's time is the last statistics' completion time of its images minus the previous block's.%n%n",
                            cost.get(0).path("parallelism").asInt(),
                            cost.get(0).path("tm_xmx").asText()));
            md.append(
                    "| size | images | seconds | MP/s | ns per pixel |\n|---|---:|---:|---:|---:|\n");
            for (JsonNode r : cost) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %dx%d RAW GRAY8 | %d | %.2f | %.1f | %.0f |%n",
                                r.path("size").asInt(),
                                r.path("size").asInt(),
                                r.path("images").asInt(),
                                r.path("seconds").asDouble(),
                                r.path("mp_per_s").asDouble(),
                                r.path("ns_per_pixel").asDouble()));
            }
            for (JsonNode r : big) {
                if (r.path("complete").asBoolean()) {
                    md.append(
                            String.format(
                                    Locale.ROOT,
                                    "| 8192x8192 JPEG RGB, one image, decode included | 1 | %.2f | %.1f | %.0f |%n",
                                    r.path("processing_s").asDouble(),
                                    8192.0 * 8192.0 / 1e6 / r.path("processing_s").asDouble(),
                                    r.path("ns_per_pixel").asDouble()));
                }
            }
            double min =
                    cost.stream()
                            .mapToDouble(r -> r.path("ns_per_pixel").asDouble())
                            .min()
                            .orElse(0);
            double max =
                    cost.stream()
                            .mapToDouble(r -> r.path("ns_per_pixel").asDouble())
                            .max()
                            .orElse(0);
            md.append(
                    String.format(
                            Locale.ROOT,
                            "%nRAW GRAY8 cost per pixel, largest / smallest across sizes: %.2f%n%n",
                            max / min));
        }
        if (!par.isEmpty()) {
            md.append(
                    "| 4000x4000 GRAY8, one image at a time | processing p50 (ms) | visible p50 (ms) | images |\n|---|---:|---:|---:|\n");
            for (JsonNode r : par) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| parallelism %d%s | %d | %d | %d |%n",
                                r.path("parallelism").asInt(),
                                spreadLabel(r),
                                r.path("processing_p50_ms").asLong(),
                                r.path("visible_p50_ms").asLong(),
                                r.path("images").asInt()));
            }
            JsonNode p1 =
                    par.stream()
                            .filter(r -> r.path("parallelism").asInt() == 1)
                            .findFirst()
                            .orElse(null);
            for (JsonNode p2 : par) {
                if (p1 == null || p2.path("parallelism").asInt() != 2) {
                    continue;
                }
                md.append(
                        String.format(
                                Locale.ROOT,
                                "%nSpeed-up of the processing latency from parallelism 1 to 2%s: %.2fx%n",
                                spreadLabel(p2),
                                p1.path("processing_p50_ms").asDouble()
                                        / Math.max(1, p2.path("processing_p50_ms").asDouble())));
            }
            md.append('\n');
        }
        for (JsonNode r : big) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "8192x8192 RGB JPEG (%d bytes), TaskManager heap %s: %s%n%n",
                            r.path("jpeg_bytes").asLong(),
                            r.path("tm_xmx").asText(),
                            r.path("complete").asBoolean()
                                    ? String.format(
                                            Locale.ROOT,
                                            "completed, statistics %.1f s and output visible %.1f s after the job ran",
                                            r.path("processing_s").asDouble(),
                                            r.path("visible_s").asDouble())
                                    : "**did not complete**: " + r.path("error").asText()));
        }
    }

    /**
     * How a parallelism row ran: the job's default {@code tiles.spread.min} (the image in one slot)
     * or the one given (results before 2026-11-30 have none: spread at the then default).
     */
    private static String spreadLabel(JsonNode r) {
        String m = r.path("tiles_spread_min").asText("");
        if (m.isEmpty()) {
            return "";
        }
        return m.equals("default")
                ? ", each image in one slot (default)"
                : ", tiles spread (--tiles.spread.min " + m + ")";
    }
}
