package io.edgestream.bench.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The plain Python service ({@code benchmarks/python/edge_service.py}) as the benchmark runs it:
 * {@code n} processes (one per core, as a user would deploy it on this machine), each consuming its
 * share of the input's partitions ({@code --member i/n}: a consumer group's first member would take
 * every partition until a rebalance, which a short run never sees), computing the maps and
 * statistics and producing them, at least once; stopped with SIGTERM once the benchmark has seen
 * every image's statistics. Each process prints a JSON summary line when it stops.
 */
final class PythonPeer implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> outputs = new ArrayList<>();

    /**
     * Starts the processes.
     *
     * @param mapTypes per filter, the sample type the edge job wrote (NONE: no map record)
     */
    static PythonPeer start(
            Bench b,
            String bootstrap,
            String input,
            String outPrefix,
            List<String> filters,
            Map<String, String> mapTypes,
            int tileSize,
            int n)
            throws IOException {
        PythonPeer peer = new PythonPeer();
        Path script = b.repo.resolve("benchmarks/python/edge_service.py");
        StringBuilder types = new StringBuilder();
        mapTypes.forEach(
                (f, t) ->
                        types.append(types.length() == 0 ? "" : ",")
                                .append(f)
                                .append('=')
                                .append(t));
        for (int i = 0; i < n; i++) {
            List<String> cmd =
                    new ArrayList<>(
                            List.of(
                                    b.o.python.toString(),
                                    script.toString(),
                                    "--bootstrap",
                                    bootstrap,
                                    "--input",
                                    input,
                                    "--maps-topic",
                                    outPrefix + "-maps",
                                    "--stats-topic",
                                    outPrefix + "-stats",
                                    "--group",
                                    outPrefix,
                                    "--filters",
                                    b.o.filters != null ? b.o.filters : String.join(",", filters),
                                    "--map-types",
                                    types.toString(),
                                    "--tile-size",
                                    String.valueOf(tileSize),
                                    "--commit-ms",
                                    String.valueOf(b.o.checkpointMs),
                                    "--member",
                                    i + "/" + n,
                                    "--schemas",
                                    b.repo.resolve("schemas/src/main").toString()));
            Path out = b.out.resolve(outPrefix + "-" + i + ".out");
            Path err = b.out.resolve(outPrefix + "-" + i + ".err");
            ProcessBuilder pb =
                    new ProcessBuilder(cmd)
                            .redirectOutput(out.toFile())
                            .redirectError(err.toFile());
            peer.processes.add(pb.start());
            peer.outputs.add(out);
        }
        return peer;
    }

    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** Throws with the process's error output if one has exited on its own. */
    void checkAlive() throws IOException {
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (!p.isAlive()) {
                Path err =
                        outputs.get(i)
                                .resolveSibling(
                                        outputs.get(i)
                                                .getFileName()
                                                .toString()
                                                .replace(".out", ".err"));
                String tail =
                        Files.exists(err)
                                ? io.edgestream.testing.stack.LocalStack.tail(
                                        Files.readString(err), 30)
                                : "";
                throw new IllegalStateException(
                        "Python service process "
                                + i
                                + " exited with "
                                + p.exitValue()
                                + ":\n"
                                + tail);
            }
        }
    }

    /** Stops every process (SIGTERM: they flush and commit) and returns their summary lines. */
    List<JsonNode> stop() throws IOException, InterruptedException {
        for (Process p : processes) {
            p.destroy();
        }
        List<JsonNode> summaries = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "Python service process " + i + " did not stop within 60 s of SIGTERM");
            }
            List<String> lines = Files.readAllLines(outputs.get(i));
            String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            if (p.exitValue() != 0 || !last.startsWith("{")) {
                throw new IllegalStateException(
                        "Python service process "
                                + i
                                + " exited with "
                                + p.exitValue()
                                + " and printed no summary; see "
                                + outputs.get(i)
                                + " and its .err");
            }
            summaries.add(Bench.JSON.readTree(last));
        }
        return summaries;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
