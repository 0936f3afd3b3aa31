package io.edgestream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.testing.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's documents, checked as a reader would follow them: every relative link (file and
 * {@code #anchor}) resolves, nothing cites a path outside the repository, and every test a document
 * names as evidence exists. A user's clone has only the repository, so a dangling reference is a
 * defect.
 */
class RepositoryDocsTest {
    private static final Path ROOT = LocalStack.repoRoot();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("(?s)```.*?```");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern TEST_NAME =
            Pattern.compile("\\b([A-Z]\\w*(?:Test|ITCase))\\b(?:\\.([a-z]\\w*))?");
    private static final Pattern FORBIDDEN =
            Pattern.compile("/work/|\\.\\./shared|CONVOLUTION\\.md");

    private static List<Path> files(String suffix) {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(p -> p.toString().endsWith(suffix))
                    .filter(p -> !skipped(ROOT.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            String n = part.toString();
            if (n.equals("target") || n.equals("node_modules") || n.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's anchors: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
    static Set<String> anchors(String markdown) {
        Set<String> out = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fence = false;
        for (String line : markdown.split("\n")) {
            if (line.stripLeading().startsWith("```")) {
                fence = !fence;
                continue;
            }
            Matcher m = fence ? null : HEADING.matcher(line);
            if (m != null && m.matches()) {
                String s =
                        m.group(2)
                                .strip()
                                .toLowerCase(Locale.ROOT)
                                .replaceAll("[^\\p{L}\\p{N}_\\- ]", "")
                                .replace(' ', '-');
                int n = seen.merge(s, 1, Integer::sum) - 1;
                out.add(n == 0 ? s : s + "-" + n);
            }
        }
        return out;
    }

    @Test
    void everyRelativeLinkInTheDocumentsResolves() {
        List<String> problems = new ArrayList<>();
        List<Path> docs = files(".md");
        assertThat(docs).as("Markdown files under %s", ROOT).hasSizeGreaterThan(5);
        for (Path doc : docs) {
            String text = FENCE.matcher(read(doc)).replaceAll("");
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? "" : target.substring(hash + 1);
                Path dest = path.isEmpty() ? doc : doc.getParent().resolve(path).normalize();
                if (!Files.exists(dest)) {
                    problems.add(ROOT.relativize(doc) + ": missing " + target);
                } else if (!anchor.isEmpty()
                        && dest.toString().endsWith(".md")
                        && !anchors(read(dest)).contains(anchor)) {
                    problems.add(ROOT.relativize(doc) + ": no heading for #" + anchor);
                }
            }
            Matcher f = FORBIDDEN.matcher(text);
            while (f.find()) {
                problems.add(ROOT.relativize(doc) + ": cites " + f.group() + " (not in a clone)");
            }
        }
        assertThat(problems).as("dangling references in the documents").isEmpty();
    }

    @Test
    void everyTestTheDocumentsCiteExists() {
        Map<String, String> sources = new HashMap<>();
        for (Path j : files(".java")) {
            String name = j.getFileName().toString();
            sources.put(name.substring(0, name.length() - ".java".length()), read(j));
        }
        List<String> problems = new ArrayList<>();
        for (Path doc : files(".md")) {
            Matcher m = TEST_NAME.matcher(read(doc));
            while (m.find()) {
                String source = sources.get(m.group(1));
                if (source == null) {
                    problems.add(ROOT.relativize(doc) + ": no test class " + m.group(1));
                } else if (m.group(2) != null
                        && !Pattern.compile("\\b" + Pattern.quote(m.group(2)) + "\\s*\\(")
                                .matcher(source)
                                .find()) {
                    problems.add(ROOT.relativize(doc) + ": no method " + m.group());
                }
            }
        }
        assertThat(problems).as("tests cited by the documents that do not exist").isEmpty();
    }

    @Test
    void anchorsAreComputedAsGitHubDoes() {
        assertThat(anchors("# Quick start\n## Why the layout is as it is\n## Quick start\n"))
                .containsExactlyInAnyOrder(
                        "quick-start", "why-the-layout-is-as-it-is", "quick-start-1");
        assertThat(anchors("```\n# not a heading\n```\n## `kafka.*` options\n"))
                .containsExactly("kafka-options");
    }
}
