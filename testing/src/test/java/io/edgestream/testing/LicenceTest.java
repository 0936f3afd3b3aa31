package io.edgestream.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.testing.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The repository's licence as a company's legal review reads it: the standard Apache-2.0 text in
 * {@code LICENSE}, a {@code NOTICE} that points to the notice of every bundled third-party file,
 * the licence and source location declared once in the parent POM and inherited by every module,
 * and the Python package declaring the same licence.
 */
class LicenceTest {
    private static final Path ROOT = LocalStack.repoRoot();

    /**
     * SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt (also Debian's
     * /usr/share/common-licenses/Apache-2.0): LICENSE is that text, byte for byte.
     */
    private static final String APACHE_2_SHA256 =
            "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";

    @Test
    void licenseIsTheStandardApache2Text() throws Exception {
        byte[] text = Files.readAllBytes(ROOT.resolve("LICENSE"));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        assertThat(sha256).as("SHA-256 of LICENSE").isEqualTo(APACHE_2_SHA256);
    }

    @Test
    void noticeNamesEveryBundledSampleThroughTheSamplesNotice() throws IOException {
        String notice = Files.readString(ROOT.resolve("NOTICE"));
        assertThat(notice).contains("Apache License, Version 2.0").contains("samples/NOTICE.md");
        String samplesNotice = Files.readString(ROOT.resolve("samples/NOTICE.md"));
        List<String> unlisted = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("samples"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("NOTICE.md"))
                    .filter(n -> !samplesNotice.contains("| " + n + " |"))
                    .forEach(unlisted::add);
        }
        assertThat(unlisted).as("sample files without a row in samples/NOTICE.md").isEmpty();
    }

    @Test
    void theParentPomDeclaresApache2AndTheSourceAndNoModuleOverridesTheLicence() throws Exception {
        Document parent = xml(ROOT.resolve("pom.xml"));
        XPath x = XPathFactory.newInstance().newXPath();
        assertThat(x.evaluate("/project/licenses/license/name", parent)).isEqualTo("Apache-2.0");
        assertThat(x.evaluate("/project/licenses/license/url", parent))
                .isEqualTo("https://www.apache.org/licenses/LICENSE-2.0.txt");
        assertThat(x.evaluate("count(/project/licenses/license)", parent)).isEqualTo("1");
        assertThat(x.evaluate("/project/organization/name", parent)).isNotBlank();
        assertThat(x.evaluate("/project/url", parent)).isNotBlank();
        assertThat(x.evaluate("/project/scm/url", parent)).isNotBlank();
        assertThat(x.evaluate("/project/scm/connection", parent)).startsWith("scm:git:");

        NodeList modules =
                (NodeList) x.evaluate("/project/modules/module", parent, XPathConstants.NODESET);
        assertThat(modules.getLength()).isPositive();
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().strip();
            Document pom = xml(ROOT.resolve(module).resolve("pom.xml"));
            assertThat(x.evaluate("/project/parent/artifactId", pom))
                    .as("%s inherits from the parent POM", module)
                    .isEqualTo(x.evaluate("/project/artifactId", parent));
            assertThat(x.evaluate("count(/project/licenses)", pom))
                    .as("%s declares no licence of its own", module)
                    .isEqualTo("0");
        }
    }

    @Test
    void thePythonPackageDeclaresApache2() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("python/pyproject.toml"));
        assertThat(lines).contains("license = { text = \"Apache-2.0\" }");
        assertThat(lines).contains("    \"License :: OSI Approved :: Apache Software License\",");
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(file.toFile());
    }
}
