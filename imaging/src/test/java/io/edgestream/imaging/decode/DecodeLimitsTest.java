package io.edgestream.imaging.decode;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@link DecodeLimits#check}: which failure, and a message that says what and what to do. */
class DecodeLimitsTest {

    private static final DecodeLimits LIMITS = new DecodeLimits(1000, 100, 50);

    @Test
    void dimensionsWithinEveryLimitPass() {
        assertThatCode(() -> LIMITS.check(100, 10, "PNG header")).doesNotThrowAnyException();
        assertThatCode(() -> LIMITS.check(20, 50, "PNG header")).doesNotThrowAnyException();
    }

    @Test
    void aSideThatIsNotPositiveIsInvalid() {
        assertThatThrownBy(() -> LIMITS.check(0, 5, "RAW record"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessage(
                        "RAW record declares 0x5 pixels: width and height must both be positive")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.INVALID_DIMENSIONS);
    }

    @Test
    void aSideOverItsLimitIsTooManyPixels() {
        assertThatThrownBy(() -> LIMITS.check(8, 51, "BMP header"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessage(
                        "BMP header declares 8x51 pixels, above the per-side limit of 100x50:"
                                + " downscale or tile the image before sending it, or raise the"
                                + " decode limits")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
    }

    @Test
    void morePixelsThanTheLimitIsTooManyPixels() {
        assertThatThrownBy(() -> LIMITS.check(100, 11, "TIFF header"))
                .isInstanceOf(ImageDecodeException.class)
                .hasMessage(
                        "TIFF header declares 100x11 = 1100 pixels, above the limit of 1000"
                                + " pixels: downscale or tile the image before sending it, or"
                                + " raise the decode limits")
                .extracting(e -> ((ImageDecodeException) e).failure())
                .isEqualTo(DecodeFailure.TOO_MANY_PIXELS);
    }
}
