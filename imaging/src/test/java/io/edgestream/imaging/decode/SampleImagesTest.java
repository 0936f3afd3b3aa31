package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.image.PixelFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OpenCV sample photographs (see samples/NOTICE.md) decode at their documented size. */
class SampleImagesTest {

    @ParameterizedTest(name = "{0} is {2}x{3} {4}")
    @CsvSource({
        "board.jpg,  JPEG, 640, 480, RGB8",
        "home.jpg,   JPEG, 512, 384, RGB8",
        "left01.jpg, JPEG, 640, 480, GRAY8",
        "stuff.jpg,  JPEG, 640, 480, RGB8",
        "pic1.png,   PNG,  400, 300, RGB8",
        "aero3.jpg,  JPEG, 640, 480, RGB8",
    })
    void sampleDecodesWithExpectedSizeAndChannels(
            String file, String encoding, int width, int height, PixelFormat format)
            throws Exception {
        byte[] data = TestImages.resource("/samples/" + file);
        assertThat(ImageDecoder.sniff(data)).isEqualTo(encoding);
        ImageHeader header = ImageDecoder.probe(data, encoding);
        assertThat(header.width()).isEqualTo(width);
        assertThat(header.height()).isEqualTo(height);
        assertThat(header.channels()).isEqualTo(format.channels());

        DecodedImage img =
                ImageDecoder.decode(
                        data,
                        encoding,
                        width,
                        height,
                        format.channels(),
                        null,
                        DecodeLimits.DEFAULT);
        assertThat(img.format()).isEqualTo(format);
        assertThat(img.width()).isEqualTo(width);
        assertThat(img.height()).isEqualTo(height);
        // A photograph is not flat: a decoder that returned zeros or grey would fail here.
        int min = 255;
        int max = 0;
        for (int y = 0; y < height; y += 7) {
            for (int x = 0; x < width; x += 5) {
                int v = img.u8().get(x, y, 0);
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertThat(max - min).as("dynamic range of channel 0").isGreaterThan(100);
    }
}
