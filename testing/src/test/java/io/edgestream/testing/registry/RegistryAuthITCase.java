package io.edgestream.testing.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.registry.RegistryAuthException;
import io.edgestream.schemas.registry.RegistryConfig;
import io.edgestream.schemas.registry.RegistryWire;
import io.edgestream.schemas.registry.SchemaRegistryClient;
import io.edgestream.schemas.registry.SubjectNames;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Apicurio Registry that requires HTTP basic authentication on its API: the right
 * credentials work, wrong or missing ones are a {@link RegistryAuthException} whose message never
 * contains them.
 */
class RegistryAuthITCase {
    private static final String PASSWORD = "s3cret-Registry-pw";

    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY =
            new ApicurioRegistryExtension(
                    ApicurioRegistry.settings().basicAuthUser("producer", PASSWORD));

    @Test
    void rightCredentialsRegisterAndRead() {
        SchemaRegistryClient client =
                new SchemaRegistryClient(
                        RegistryConfig.of(REGISTRY.ccompatUrl())
                                .withBasicAuth("producer:" + PASSWORD));
        RegistryWire<ImageFrame> wire = RegistryWire.forTopic(ImageFrame.class, client, "auth");
        ImageFrame frame = SchemaRegistryITCase.frame("img-auth");

        assertThat(wire.decode(wire.encode(frame))).isEqualTo(frame);
        assertThat(client.schemaById(wire.writerId())).isEqualTo(ImageFrame.getClassSchema());
    }

    @Test
    void wrongPasswordIsAnAuthErrorThatNeverPrintsTheCredentials() {
        String wrong = "wr0ng-Pa55word";
        SchemaRegistryClient client =
                new SchemaRegistryClient(
                        RegistryConfig.of(REGISTRY.ccompatUrl())
                                .withBasicAuth("producer:" + wrong));

        assertThatThrownBy(
                        () ->
                                client.register(
                                        SubjectNames.topicValue("auth-wrong"),
                                        ImageFrame.getClassSchema()))
                .isInstanceOfSatisfying(
                        RegistryAuthException.class, e -> assertThat(e.httpStatus()).isEqualTo(401))
                .hasMessageContaining(REGISTRY.ccompatUrl())
                .hasMessageContaining("basic-auth credentials (value not shown)")
                .hasMessageNotContaining(wrong)
                .hasMessageNotContaining(PASSWORD);
        assertThat(client.config().toString()).doesNotContain(wrong);
    }

    @Test
    void missingAndBearerCredentialsAreRefusedToo() {
        assertThatThrownBy(
                        () ->
                                new SchemaRegistryClient(RegistryConfig.of(REGISTRY.ccompatUrl()))
                                        .schemaById(1))
                .isInstanceOf(RegistryAuthException.class)
                .hasMessageContaining("no credentials");
        assertThatThrownBy(
                        () ->
                                new SchemaRegistryClient(
                                                RegistryConfig.of(REGISTRY.ccompatUrl())
                                                        .withBearerToken("tok-Xyz-123"))
                                        .schemaById(1))
                .isInstanceOf(RegistryAuthException.class)
                .hasMessageContaining("bearer token (value not shown)")
                .hasMessageNotContaining("tok-Xyz-123");
    }

    @Test
    void passwordIsNotOnTheServerCommandLine() throws Exception {
        ApicurioRegistry r = REGISTRY.registry();
        String cmd =
                String.join(
                        " ",
                        ProcessHandle.of(r.pid()).orElseThrow().info().arguments().orElseThrow());
        assertThat(cmd)
                .contains("quarkus-run.jar")
                .contains("-Dedgestream.registry=RegistryAuthITCase")
                .doesNotContain(PASSWORD);
        assertThat(Files.readString(r.runDir().resolve("config/application.properties")))
                .contains("users.producer=");
    }
}
