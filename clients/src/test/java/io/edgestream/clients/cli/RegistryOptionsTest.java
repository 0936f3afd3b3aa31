package io.edgestream.clients.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.clients.consume.ConsumeEdges;
import io.edgestream.clients.consume.ConsumeEdgesCommand;
import io.edgestream.clients.produce.ProduceImages;
import io.edgestream.clients.produce.ProduceImagesCommand;
import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.EdgeStats;
import io.edgestream.schemas.wire.WireFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --registry}, its credentials and {@code --wire-format} on the command lines of both Kafka
 * tools: which framing each tool chooses, what goes together, and that credentials never appear in
 * what is printed. Against a real registry: {@code ClientsRegistryITCase}.
 */
class RegistryOptionsTest {
    private static final String URL = "http://127.0.0.1:8085/apis/ccompat/v7";

    @Test
    void theProducerWritesRegistryFramingWithARegistryUnlessToldOtherwise() {
        ProduceImages.Options none = ProduceImagesCommand.parse("--synthetic");
        assertThat(Framing.writerFormat(none)).isEqualTo(WireFormatName.SINGLE_OBJECT);
        assertThat(none.registry()).isNull();

        ProduceImages.Options reg = ProduceImagesCommand.parse("--synthetic", "--registry", URL);
        assertThat(Framing.writerFormat(reg)).isEqualTo(WireFormatName.REGISTRY);
        assertThat(reg.registry().url()).isEqualTo(URL);
        assertThat(reg.registry().authDescription()).isEqualTo("no credentials");

        ProduceImages.Options single =
                ProduceImagesCommand.parse(
                        "--synthetic", "--registry", URL, "--wire-format", "single-object");
        assertThat(Framing.writerFormat(single)).isEqualTo(WireFormatName.SINGLE_OBJECT);
    }

    @Test
    void theConsumerReadsBothFramingsUnlessOneIsGiven() {
        assertThat(ConsumeEdgesCommand.parse("--registry", URL).wireFormat()).isNull();
        ConsumeEdges.Options strict =
                ConsumeEdgesCommand.parse("--registry", URL, "--wire-format", "registry");
        assertThat(strict.wireFormat()).isEqualTo(WireFormatName.REGISTRY);
    }

    @Test
    void registryFramingOrCredentialsWithoutARegistryAreUsageErrors() {
        assertThatThrownBy(
                        () ->
                                ProduceImagesCommand.parse(
                                        "--synthetic", "--wire-format", "registry"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--wire-format registry needs --registry URL");
        assertThatThrownBy(() -> ConsumeEdgesCommand.parse("--registry-user-info", "u:p"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("without --registry URL");
        assertThatThrownBy(() -> ConsumeEdgesCommand.parse("--wire-format", "avro"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'avro' is not one of single-object, registry");
        assertThatThrownBy(
                        () -> ProduceImagesCommand.parse("--synthetic", "--registry", "ftp://h/x"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("must start with http:// or https://");
    }

    @Test
    void credentialsComeFromAFileOrAnOptionAndAreNeverShown(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("registry.properties");
        Files.writeString(file, "basic.auth.user.info=edge:s3cret-pw\n");
        ProduceImages.Options fromFile =
                ProduceImagesCommand.parse(
                        "--synthetic", "--registry", URL, "--registry-config", file.toString());
        assertThat(fromFile.registry().authDescription()).startsWith("basic-auth");
        assertThat(fromFile.registry().toString()).doesNotContain("s3cret").doesNotContain("edge:");

        Files.writeString(file, "bearer.auth.token=tok-123\n");
        assertThat(
                        ConsumeEdgesCommand.parse(
                                        "--registry", URL, "--registry-config", file.toString())
                                .registry()
                                .authDescription())
                .startsWith("a bearer token");

        ConsumeEdges.Options fromOption =
                ConsumeEdgesCommand.parse("--registry", URL, "--registry-user-info", "edge:pw2");
        assertThat(fromOption.registry().authDescription()).startsWith("basic-auth");

        Files.writeString(file, "user=edge\n");
        assertThatThrownBy(
                        () ->
                                ConsumeEdgesCommand.parse(
                                        "--registry", URL, "--registry-config", file.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("has neither basic.auth.user.info");
        assertThatThrownBy(
                        () ->
                                ConsumeEdgesCommand.parse(
                                        "--registry", URL, "--registry-user-info", "no-colon"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("user:password")
                .hasMessageNotContaining("no-colon");
    }

    @Test
    void eachValuesFramingIsRecognisedByItsFirstBytes() {
        assertThat(WireFormatName.of(new byte[] {0, 0, 0, 0, 7}))
                .isEqualTo(WireFormatName.REGISTRY);
        assertThat(WireFormatName.of(new byte[] {(byte) 0xC3, 0x01, 9}))
                .isEqualTo(WireFormatName.SINGLE_OBJECT);
        assertThat(WireFormatName.of(new byte[] {'{', '"'})).isNull();
        assertThat(WireFormatName.of(null)).isNull();

        // Without a registry, a registry-framed value is unreadable and says what to add.
        Framing.Reader<EdgeStats> reader =
                Framing.reader(EdgeStats.class, new ConsumeEdges.Options(), null, "edge-stats");
        assertThatThrownBy(() -> reader.decode(new byte[] {0, 0, 0, 0, 7, 2, 4}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("registry-framed (starts with 00 00, schema id 7)")
                .hasMessageContaining("add --registry URL")
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT));
        // With --wire-format registry, a single-object value is refused for its framing.
        Framing.Reader<EdgeStats> strict =
                Framing.reader(
                        EdgeStats.class,
                        new ConsumeEdges.Options().wireFormat(WireFormatName.REGISTRY),
                        null,
                        "edge-stats");
        assertThatThrownBy(() -> strict.decode(new byte[] {(byte) 0xC3, 0x01, 1, 2, 3}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("single-object-framed (starts with C3 01)")
                .hasMessageContaining("--wire-format registry was given");
    }
}
