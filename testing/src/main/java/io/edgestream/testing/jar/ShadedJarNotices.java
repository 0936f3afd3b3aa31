package io.edgestream.testing.jar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks that a shaded (fat) jar carries the notices of the libraries it bundles: shading keeps one
 * file per path, so without the notice transformer in the module's pom its {@code META-INF/NOTICE}
 * would be one library's alone. Shared by the ITs of every module that builds a shaded jar ({@code
 * JobJarNoticeITCase}, {@code ClientsJarNoticeITCase}); they run after {@code package}.
 */
public final class ShadedJarNotices {
    private ShadedJarNotices() {}

    /**
     * What every shaded jar of the project bundles, so its {@code META-INF/NOTICE} must name: Avro
     * and the Apache libraries it brings (Commons Compress with Commons IO, Codec and Lang), and
     * Jackson.
     */
    public static final List<String> AVRO_NOTICES =
            List.of(
                    "Apache Avro",
                    "Apache Commons Compress",
                    "Apache Commons IO",
                    "Apache Commons Codec",
                    "Apache Commons Lang",
                    "Jackson");

    /** {@link #AVRO_NOTICES} and {@code more}. */
    public static List<String> avroNoticesAnd(String... more) {
        List<String> all = new ArrayList<>(AVRO_NOTICES);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    /**
     * The one jar in {@code dir} whose file name {@code fileName} accepts.
     *
     * @param what names the jar in the failure message, e.g. {@code the shaded job jar in target/
     *     (mvn package)}
     * @throws AssertionError if there is none or more than one
     */
    public static Path onlyJar(Path dir, Predicate<String> fileName, String what)
            throws IOException {
        List<Path> jars;
        try (Stream<Path> files = Files.list(dir)) {
            jars = files.filter(p -> fileName.test(p.getFileName().toString())).toList();
        }
        if (jars.size() != 1) {
            throw new AssertionError(
                    "["
                            + what
                            + "] expected exactly one jar in "
                            + dir.toAbsolutePath()
                            + " but found "
                            + jars
                            + "; run mvn package on the module first");
        }
        return jars.get(0);
    }

    /**
     * Asserts that the jar's merged {@code META-INF/NOTICE} contains each of {@code metaInfNotice}
     * and its root {@code NOTICE} (where a library such as kafka-clients keeps its own) contains
     * each of {@code rootNotice}.
     *
     * @throws AssertionError naming the jar, the file and every missing text
     */
    public static void assertNoticesContain(
            Path jar, List<String> metaInfNotice, List<String> rootNotice) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertContains(zip, "META-INF/NOTICE", metaInfNotice);
            assertContains(zip, "NOTICE", rootNotice);
        }
    }

    private static void assertContains(ZipFile zip, String name, List<String> expected)
            throws IOException {
        String text = text(zip, name);
        List<String> missing = expected.stream().filter(s -> !text.contains(s)).toList();
        if (!missing.isEmpty()) {
            throw new AssertionError(
                    name
                            + " in "
                            + zip.getName()
                            + " lacks "
                            + missing
                            + "; check the notice transformer of the module's shade plugin:\n"
                            + text);
        }
    }

    private static String text(ZipFile zip, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new AssertionError(
                    name
                            + " in "
                            + zip.getName()
                            + " is missing; check the module's shade plugin configuration");
        }
        try (InputStream in = zip.getInputStream(e)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
