package io.edgestream.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code clients/README.md} shows the jar's and each tool's {@code --help} as the tools print it,
 * between {@code <!-- help:NAME -->} and {@code <!-- /help:NAME -->}, so that the documented
 * options, defaults and exit codes cannot drift from the code. After changing an option, rewrite
 * the blocks with:
 *
 * <pre>
 * mvn -o -pl clients -am test -Dtest=ReadmeHelpTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dclients.readme.update=true
 * </pre>
 */
class ReadmeHelpTest {

    private static final Path README = Path.of("README.md");
    private static final Pattern BLOCK =
            Pattern.compile(
                    "(<!-- help:([a-z-]+) [^\\n]*-->\\n```text\\n)(.*?)(```\\n<!-- /help:\\2 -->)",
                    Pattern.DOTALL);

    /** Every usage text, by name: the jar's, then each tool's. */
    private static Map<String, String> helps() {
        CommandLine main = Main.commandLine(System.out, System.err);
        Map<String, String> helps = new LinkedHashMap<>();
        helps.put(main.getCommandName(), main.getUsageMessage());
        main.getSubcommands().forEach((name, cl) -> helps.put(name, cl.getUsageMessage()));
        return helps;
    }

    @Test
    void theReadmeShowsEveryHelpExactlyAsTheToolsPrintIt() throws Exception {
        String text = Files.readString(README, StandardCharsets.UTF_8).replace("\r\n", "\n");
        Map<String, String> helps = helps();
        Map<String, String> shown = new LinkedHashMap<>();
        StringBuilder updated = new StringBuilder();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String name = m.group(2);
            shown.put(name, m.group(3));
            String help = helps.getOrDefault(name, m.group(3));
            m.appendReplacement(updated, Matcher.quoteReplacement(m.group(1) + help + m.group(4)));
        }
        m.appendTail(updated);
        if (Boolean.getBoolean("clients.readme.update")) {
            Files.writeString(README, updated, StandardCharsets.UTF_8);
            shown.keySet().retainAll(helps.keySet());
        }
        assertThat(shown.keySet())
                .as("help blocks in %s", README.toAbsolutePath())
                .containsExactlyInAnyOrderElementsOf(helps.keySet());
        if (!Boolean.getBoolean("clients.readme.update")) {
            helps.forEach(
                    (name, help) ->
                            assertThat(shown.get(name))
                                    .as(
                                            "%s --help in README.md; rewrite it with"
                                                    + " -Dclients.readme.update=true (see this"
                                                    + " test's documentation)",
                                            name)
                                    .isEqualTo(help));
        }
    }

    @Test
    void theReadmeNamesEveryMarkerOfASecretSetting() throws Exception {
        String text = Files.readString(README, StandardCharsets.UTF_8);
        for (String marker : io.edgestream.schemas.kafka.Secrets.MARKERS) {
            assertThat(text).contains("`" + marker + "`");
        }
    }
}
