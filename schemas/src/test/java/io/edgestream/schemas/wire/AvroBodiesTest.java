package io.edgestream.schemas.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.schemas.DeadLetterReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** The failure messages both wire formats share, word for word (dead letters carry them). */
class AvroBodiesTest {

    @Test
    void tooShortNamesTheFramingTheHeaderAndWhatArrived() {
        WireFormatException nul = AvroBodies.tooShort(null, 5, "a registry-framed", "ImageFrame");
        assertThat(nul.reason()).isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT);
        assertThat(nul.getMessage())
                .isEqualTo(
                        "Expected a registry-framed ImageFrame (at least 5 header bytes) but the"
                                + " value has no bytes (null)");
        WireFormatException shortValue =
                AvroBodies.tooShort(new byte[3], 10, "an Avro single-object-encoded", "EdgeStats");
        assertThat(shortValue.getMessage())
                .isEqualTo(
                        "Expected an Avro single-object-encoded EdgeStats (at least 10 header"
                                + " bytes) but the value has 3 bytes");
    }

    @Test
    void malformedNamesTheRecordTheWriterAndTheCause() {
        IOException cause = new IOException("EOF");
        WireFormatException e = AvroBodies.malformed("ImageFrame", "registry schema id 7", cause);
        assertThat(e.reason()).isEqualTo(DeadLetterReason.MALFORMED_RECORD);
        assertThat(e.getMessage())
                .isEqualTo(
                        "ImageFrame body (registry schema id 7) is truncated or corrupt:"
                                + " java.io.IOException: EOF");
        assertThat(e.getCause()).isSameAs(cause);
    }

    @Test
    void encodeFailureIsUncheckedForIoAndIllegalArgumentOtherwise() {
        IOException io = new IOException("disk");
        RuntimeException unchecked = AvroBodies.encodeFailure("EdgeStats", io);
        assertThat(unchecked)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("Encoding EdgeStats into memory failed")
                .hasCause(io);

        NullPointerException npe = new NullPointerException("null of string in field id");
        RuntimeException mismatch = AvroBodies.encodeFailure("EdgeStats", npe);
        assertThat(mismatch)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "Cannot encode EdgeStats: it does not match its schema ("
                                + npe
                                + "); build records with the generated builder so required"
                                + " fields are set")
                .hasCause(npe);
    }
}
