package io.edgestream.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the options table of {@code docs/options.md} equal to what the declarations in {@link
 * EdgeJobOptions} generate ({@link OptionsTable}). To rewrite the table after changing an option:
 *
 * <pre>
 * mvn -B -o -pl flink-job -am test -Dtest=OptionsDocTest -Dsurefire.failIfNoSpecifiedTests=false -Dedgestream.options.write=true
 * </pre>
 *
 * or run {@link #main} from the repository or the {@code flink-job} directory.
 */
class OptionsDocTest {

    /** The system property that makes this test rewrite the table instead of checking it. */
    static final String WRITE = "edgestream.options.write";

    static final String REGENERATE =
            "mvn -B -o -pl flink-job -am test -Dtest=OptionsDocTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -D"
                    + WRITE
                    + "=true";

    @Test
    void docsShouldListEveryOptionAsDeclared() throws IOException {
        Path doc = optionsDoc();
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        if (Boolean.getBoolean(WRITE)) {
            write(doc);
            text = Files.readString(doc, StandardCharsets.UTF_8);
        }
        String expected = OptionsTable.markdown();
        String actual = OptionsTable.currentTable(text);
        assertThat(actual)
                .as(
                        "the options table in %s differs from the declarations in EdgeJobOptions"
                                + " (%s); regenerate it with `%s` (or run OptionsDocTest.main)",
                        doc, firstDifference(expected, actual), REGENERATE)
                .isEqualTo(expected);
    }

    /** Where {@code actual} first departs from {@code expected}, by line. */
    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end>";
            String al = i < a.length ? a[i] : "<end>";
            if (!el.equals(al)) {
                return "first at line "
                        + (i + 1)
                        + " of the block: generated '"
                        + el
                        + "', file '"
                        + al
                        + "'";
            }
        }
        return "no difference";
    }

    @Test
    void tableShouldShowTypesFormsAndDefaultsFromTheDeclarations() {
        String table = OptionsTable.markdown();
        assertThat(table)
                .contains("\n### Topics and ids\n\n| option | type | default | description |\n")
                .contains(
                        "| `transactional.id.prefix` | string | `job.name` | Prefix of the"
                                + " exactly-once sinks' transactional ids")
                .contains("| `stride` | int ≥ 1 | `1` | ")
                .contains("| `max.pixels` | long ≥ 1 | `50000000` | ")
                .contains("| `padding` | enum: `VALID`, `SAME` | `VALID` | ")
                .contains("| `tile.size` | `N` or `WxH` | `256` | ")
                .contains("| `bounded` | boolean | `false` | ")
                .contains("| `border.constant` | float | `0.0` | ")
                .contains("| `checkpoint.dir` | string | the cluster's")
                .contains("| `kafka.*` | string | (none) | ")
                // Pipes inside a cell are escaped so that they do not end it.
                .contains("Filters separated by `\\|`");
        // Sections in the declared order, each option once.
        assertThat(table.indexOf("### Filters and convolution"))
                .isLessThan(table.indexOf("### Maps and statistics"))
                .isLessThan(table.indexOf("### Limits"))
                .isLessThan(table.indexOf("### Parallelism, checkpoints and restarts"))
                .isLessThan(table.indexOf("### Kafka"));
        for (DeclaredOptions.Declared d : DeclaredOptions.all()) {
            String row = "\n| `" + d.key() + "` |";
            assertThat(table.indexOf(row)).as(d.key()).isPositive();
            assertThat(table.indexOf(row)).as(d.key()).isEqualTo(table.lastIndexOf(row));
            assertThat(d.description()).as(d.key()).isNotBlank().endsWith(".");
        }
    }

    @Test
    void shouldReplaceOnlyTheBlockBetweenTheMarkers() {
        String doc = "intro\n" + OptionsTable.BEGIN + "\nold\n" + OptionsTable.END + "\nafter\n";
        String replaced = OptionsTable.replaceTable(doc, "\nnew\n");
        assertThat(replaced)
                .isEqualTo(
                        "intro\n"
                                + OptionsTable.BEGIN
                                + "\nnew\n"
                                + OptionsTable.END
                                + "\nafter\n");
        assertThat(OptionsTable.currentTable(replaced)).isEqualTo("\nnew\n");
    }

    /** Rewrites the table of {@code docs/options.md}. */
    public static void main(String[] args) throws IOException {
        Path doc = write(optionsDoc());
        System.out.println("rewrote the options table of " + doc);
    }

    private static Path write(Path doc) throws IOException {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        Files.writeString(
                doc,
                OptionsTable.replaceTable(text, OptionsTable.markdown()),
                StandardCharsets.UTF_8);
        return doc;
    }

    /** {@code docs/options.md} of the repository, from its root or a module directory. */
    private static Path optionsDoc() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path doc = d.resolve("docs").resolve("options.md");
            if (Files.isDirectory(d.resolve("flink-job")) && Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException("no docs/options.md in " + dir + " or above");
    }
}
