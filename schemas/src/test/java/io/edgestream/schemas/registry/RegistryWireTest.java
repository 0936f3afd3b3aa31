package io.edgestream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.schemas.DeadLetterReason;
import io.edgestream.schemas.ImageFrame;
import io.edgestream.schemas.wire.AvroWire;
import io.edgestream.schemas.wire.WireFormatException;
import org.junit.jupiter.api.Test;

/**
 * The framing checks that need no registry (they fail before any lookup); everything that needs one
 * is in the testing module's SchemaRegistryITCase, against a real Apicurio Registry.
 */
class RegistryWireTest {
    // Port 9 (discard) on loopback: nothing listens, and no test here may reach it.
    private final RegistryWire<ImageFrame> wire =
            RegistryWire.forTopic(
                    ImageFrame.class,
                    new SchemaRegistryClient(RegistryConfig.of("http://127.0.0.1:9")),
                    "images");

    @Test
    void headerIsZeroThenBigEndianId() {
        assertThat(RegistryWire.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
        assertThat(RegistryWire.schemaId(new byte[] {0, 0, 0, 1, 7, 99})).isEqualTo(263);
        assertThat(wire.subject()).isEqualTo("images-value");
    }

    @Test
    void shortOrNullValueIsNotWireFormat() {
        assertThatThrownBy(() -> wire.decode(new byte[] {0, 0, 0, 1}))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT))
                .hasMessageContaining("4 bytes");
        assertThatThrownBy(() -> wire.decode(null))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("null");
    }

    @Test
    void singleObjectValueIsRecognisedAndNamed() {
        byte[] singleObject = AvroWire.header(AvroWire.imageFrames().currentFingerprint());
        assertThatThrownBy(() -> wire.decode(singleObject))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT))
                .hasMessageContaining("starts with C3 01")
                .hasMessageContaining("single-object");
    }

    @Test
    void otherMagicByteIsNotWireFormat() {
        assertThatThrownBy(() -> wire.decode(new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("starts with 01 00")
                .hasMessageContaining("schema-registry serializer");
    }
}
