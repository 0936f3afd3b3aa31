package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import javax.imageio.IIOException;
import org.junit.jupiter.api.Test;

/** How reader exceptions become decode failures. */
class ImageIoReadersTest {

    @Test
    void anOutOfMemoryErrorWrappedByTheReaderIsNotReportedAsCorruptData() {
        ImageDecodeException e =
                ImageIoReaders.failure(
                        "PNG",
                        new IIOException(
                                "Error reading PNG image data",
                                new OutOfMemoryError("Java heap space")));
        assertThat(e.failure()).isEqualTo(DecodeFailure.MEMORY_BUDGET_EXCEEDED);
        assertThat(e.getMessage()).contains("ran out of Java heap").contains("replay the record");
    }

    @Test
    void anEndOfStreamIsTruncationAndAnythingElseIsCorruption() {
        assertThat(
                        ImageIoReaders.failure("JPEG", new IIOException("x", new EOFException()))
                                .failure())
                .isEqualTo(DecodeFailure.TRUNCATED_IMAGE);
        assertThat(ImageIoReaders.failure("TIFF", new IIOException("bad tag")).failure())
                .isEqualTo(DecodeFailure.UNDECODABLE_IMAGE);
    }
}
