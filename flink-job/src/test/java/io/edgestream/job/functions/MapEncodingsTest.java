package io.edgestream.job.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.Filters;
import io.edgestream.job.EdgeJobOptions;
import io.edgestream.schemas.MapDataType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapEncodingsTest {

    private static final ConvParams P = ConvParams.DEFAULT;

    @Test
    void parsesADefaultThenPerFilterOverrides() {
        MapEncodings e = MapEncodings.parse(" int16 , sobel=Float32,laplacian = none ");
        assertThat(e.defaultEncoding()).isEqualTo(MapEncoding.INT16);
        assertThat(e.of("sobel")).isEqualTo(MapEncoding.FLOAT32);
        assertThat(e.of("laplacian")).isEqualTo(MapEncoding.NONE);
        assertThat(e.of("vertical")).isEqualTo(MapEncoding.INT16);
        assertThat(e).hasToString("INT16,sobel=FLOAT32,laplacian=NONE");
        assertThat(MapEncodings.parse(e.toString())).isEqualTo(e);
        // Overrides alone keep the FLOAT32 default.
        assertThat(MapEncodings.parse("sobel_x=INT16").defaultEncoding())
                .isEqualTo(MapEncoding.FLOAT32);
    }

    @Test
    void refusesMalformedValues() {
        assertThatThrownBy(() -> MapEncodings.parse("INT8"))
                .hasMessageContaining("unknown encoding 'INT8'; use one of [FLOAT32, FLOAT16,");
        assertThatThrownBy(() -> MapEncodings.parse("INT16,,sobel=FLOAT32"))
                .hasMessageContaining("has an empty entry");
        assertThatThrownBy(() -> MapEncodings.parse("sobel=FLOAT32,INT16"))
                .hasMessageContaining("the default encoding 'INT16' must come first");
        assertThatThrownBy(() -> MapEncodings.parse("INT16,sobel=FLOAT32,sobel=UINT8"))
                .hasMessageContaining("gives filter 'sobel' twice");
        assertThatThrownBy(() -> MapEncodings.parse("INT16,=FLOAT32"))
                .hasMessageContaining("names no filter");
        assertThatThrownBy(() -> MapEncodings.parse(" "))
                .hasMessageContaining("option 'map.encoding' is empty");
    }

    @Test
    void anOverrideOfAnUnknownFilterFailsAtStartUpNamingTheValidOnes() {
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "filters",
                                                "sobel_x,laplacian",
                                                "map.encoding",
                                                "INT16,sobel_mag=FLOAT32")))
                .hasMessageContaining(
                        "option 'map.encoding' sets the encoding of filter 'sobel_mag', which is"
                                + " not in option 'filters'; valid filters: sobel_x, laplacian");
    }

    @Test
    void int16IsRefusedAtStartUpWhereItCannotBeProven() {
        // A gradient magnitude is no integer: the default filters include sobel.
        assertThatThrownBy(() -> EdgeJobOptions.of(Map.of("map.encoding", "INT16")))
                .hasMessageContaining("asks for INT16 maps of filter 'sobel'")
                .hasMessageContaining("'sobel' is a gradient magnitude")
                .hasMessageContaining("use FLOAT16 or FLOAT32 for it")
                .hasMessageContaining("--map.encoding 'INT16,sobel=FLOAT32'");
        assertThat(
                        EdgeJobOptions.of(Map.of("map.encoding", "INT16,sobel=FLOAT16"))
                                .mapEncodings()
                                .of("vertical"))
                .isEqualTo(MapEncoding.INT16);
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "filters",
                                                "vertical|blur=0.25,0.5,0.25",
                                                "map.encoding",
                                                "INT16")))
                .hasMessageContaining("filter 'blur'")
                .hasMessageContaining("non-integer weight 0.25");
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of(
                                                "filters",
                                                "vertical",
                                                "color.mode",
                                                "GREY",
                                                "map.encoding",
                                                "INT16")))
                .hasMessageContaining("filter 'vertical'")
                .hasMessageContaining("color.mode GREY");
        // 1 + 128 + 1 = 130 times 255 is 33150: beyond int16 even on 8-bit grey input.
        assertThatThrownBy(
                        () ->
                                EdgeJobOptions.of(
                                        Map.of("filters", "big=1,128,1", "map.encoding", "INT16")))
                .hasMessageContaining("filter 'big'")
                .hasMessageContaining("on 8-bit grey input spans [0, 33150], beyond int16");
        // Only the filters asked for as INT16 are checked.
        assertThat(
                        EdgeJobOptions.of(
                                        Map.of(
                                                "filters",
                                                "vertical|blur=0.25,0.5,0.25",
                                                "map.encoding",
                                                "INT16,blur=UINT8"))
                                .mapEncodings()
                                .of("blur"))
                .isEqualTo(MapEncoding.UINT8);
    }

    @Test
    void int16IsChosenPerImageFromItsDepthAndChannels() {
        MapEncodings e = MapEncodings.parse("INT16");
        Filter sobelX = Filters.parse("sobel_x");
        Filter box = Filters.parse("box5=1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1");
        assertThat(e.choose(sobelX, P, 8, 1, -1020, 1020))
                .isEqualTo(new MapEncodings.Choice(MapDataType.INT16_LE, 1f, 0f, false));
        // RGBA under VOLUME: 4 * 1020 still fits.
        assertThat(e.choose(sobelX, P, 8, 4, -4080, 4080).dataType())
                .isEqualTo(MapDataType.INT16_LE);
        // The 16-bit range overflows int16; float samples are not integers.
        assertThat(e.choose(sobelX, P, 16, 1, -262140, 262140))
                .isEqualTo(new MapEncodings.Choice(MapDataType.FLOAT32_LE, 1f, 0f, true));
        assertThat(e.choose(sobelX, P, 32, 1, -4, 4).fellBack()).isTrue();
        // A 5x5 box: 25 * 255 * 4 = 25500 fits for RGBA; on 16-bit grey it does not.
        assertThat(e.choose(box, P, 8, 4, 0, 25500).dataType()).isEqualTo(MapDataType.INT16_LE);
        assertThat(e.choose(box, P, 16, 1, 0, 1638375).fellBack()).isTrue();
        // PER_CHANNEL sums no channels: RGB 8-bit fits as grey does.
        assertThat(
                        e.choose(sobelX, P.withColorMode(ColorMode.PER_CHANNEL), 8, 3, -1020, 1020)
                                .dataType())
                .isEqualTo(MapDataType.INT16_LE);
    }

    @Test
    void uint8TakesItsScaleFromTheFiltersRangeAndNoneWritesNothing() {
        MapEncodings e = MapEncodings.parse("UINT8,laplacian=NONE,sobel_y=FLOAT16");
        Filter sobel = Filters.parse("sobel");
        double max = Math.sqrt(2) * 1020;
        MapEncodings.Choice c = e.choose(sobel, P, 8, 1, 0, max);
        assertThat(c.dataType()).isEqualTo(MapDataType.UINT8);
        assertThat(c.scale()).isEqualTo((float) (max / 255));
        assertThat(c.offset()).isEqualTo(0f);
        assertThat(e.choose(Filters.parse("sobel_x"), P, 8, 1, -1020, 1020))
                .isEqualTo(new MapEncodings.Choice(MapDataType.UINT8, 8f, -1020f, false));
        assertThat(e.choose(Filters.parse("laplacian"), P, 8, 1, -1020, 1020).dataType()).isNull();
        assertThat(e.choose(Filters.parse("sobel_y"), P, 8, 1, -1020, 1020))
                .isEqualTo(new MapEncodings.Choice(MapDataType.FLOAT16_LE, 1f, 0f, false));
        // A float image whose range float32 cannot step through stays exact.
        assertThat(e.choose(sobel, P, 32, 1, 0, 1e300).dataType())
                .isEqualTo(MapDataType.FLOAT32_LE);
    }

    @Test
    void theOptionReachesTheProcessingSpec() {
        ProcessingSpec spec =
                EdgeJobOptions.of(
                                Map.of(
                                        "filters",
                                        "sobel_x|sobel",
                                        "map.encoding",
                                        "INT16,sobel=UINT8"))
                        .processing();
        assertThat(spec.mapEncodings).isEqualTo(MapEncodings.parse("INT16,sobel=UINT8"));
        assertThat(List.of(spec.mapEncodings.of("sobel_x"), spec.mapEncodings.of("sobel")))
                .containsExactly(MapEncoding.INT16, MapEncoding.UINT8);
    }
}
