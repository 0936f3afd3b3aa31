package io.edgestream.imaging.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgestream.imaging.conv.ColorMode;
import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.stats.StatsConfig;
import io.edgestream.imaging.tile.MapAssembler;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilterBankTest {
    // docs/convolution.md, example 1.
    private static final float[] IMAGE = {
        3, 0, 1, 2, 7, 4,
        1, 5, 8, 9, 3, 1,
        2, 7, 2, 5, 1, 3,
        0, 1, 3, 1, 7, 8,
        4, 2, 1, 6, 2, 8,
        2, 4, 5, 2, 3, 9
    };
    private static final float[] VERTICAL_OUTPUT = {
        -5, -4, 0, 8, -10, -2, 2, 3, 0, -2, -4, -7, -3, -2, -3, -16
    };

    @Test
    void workedExampleOneThroughTilesOfOnePixel() {
        ImageF32 img = ImageF32.wrap(IMAGE.clone(), 6, 6, 1);
        List<Filter> filters = Filters.parseList("vertical");
        TilePlan plan = TilePlan.forFilters(6, 6, filters, ConvParams.DEFAULT, 1, 1);
        FilterBank bank = new FilterBank(filters, ConvParams.DEFAULT);
        MapAssembler a = MapAssembler.forPlan(plan, 1);
        for (TileSpec t : plan.tiles()) {
            a.add(t, bank.apply(plan.extract(img, t), t).get(0).map());
        }
        assertThat(a.result().toArray()).containsExactly(VERTICAL_OUTPUT);
    }

    @Test
    void gradientMagnitudeOfTheWorkedExampleTwoEdge() {
        float[] data = new float[36];
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 3; x++) {
                data[y * 6 + x] = 10;
            }
        }
        ImageF32 img = ImageF32.wrap(data, 6, 6, 1);
        List<Filter> filters = Filters.parseList("prewitt");
        TilePlan plan = TilePlan.forFilters(6, 6, filters, ConvParams.DEFAULT, 4, 4);
        StatsConfig cfg =
                StatsConfig.forFilter(filters.get(0), ConvParams.DEFAULT, 1, 0, 10, 10, null, plan);
        FilterBank bank = new FilterBank(filters, ConvParams.DEFAULT, List.of(cfg));
        FilterOutput out = bank.apply(plan.extract(img, plan.tile(0)), plan.tile(0)).get(0);
        // gx is the 30-band of example 2, gy is 0: the magnitude is |gx|.
        assertThat(out.map().toArray())
                .containsExactly(0, 30, 30, 0, 0, 30, 30, 0, 0, 30, 30, 0, 0, 30, 30, 0);
        assertThat(out.stats().count).isEqualTo(16);
        assertThat(out.stats().edgeCount).isEqualTo(8);
        // The edge is vertical, bright on the left: gradient direction 0 rad, bin 18 of 36.
        assertThat(out.stats().orientation[18]).isEqualTo(8);
    }

    /**
     * Maps in the bank's reused array equal fresh ones bit for bit, with the same statistics, in
     * every colour mode, for linear and gradient filters, over consecutive tiles of different sizes
     * (each call overwrites the previous one's maps).
     */
    @Test
    void reusedMapsEqualFreshOnes() {
        java.util.Random rnd = new java.util.Random(9);
        for (ColorMode mode : ColorMode.values()) {
            ConvParams p = ConvParams.DEFAULT.withColorMode(mode);
            int channels = 3;
            ImageF32 img = ImageF32.allocate(23, 17, channels);
            for (int i = 0; i < img.data.length; i++) {
                img.data[i] = rnd.nextInt(256);
            }
            List<Filter> filters = Filters.parseList("vertical,sobel,laplacian");
            FilterBank fresh = new FilterBank(filters, p);
            FilterBank reusing = new FilterBank(filters, p);
            ImageF32 prepared = fresh.prepare(img);
            TilePlan plan = TilePlan.forFilters(23, 17, filters, p, 8, 6);
            List<StatsConfig> cfgs = new java.util.ArrayList<>();
            for (Filter f : filters) {
                cfgs.add(StatsConfig.forFilter(f, p, channels, 0, 255, 16, null, plan));
            }
            for (TileSpec t : plan.tiles()) {
                ImageF32 w = plan.extract(prepared, t);
                List<FilterOutput> want = fresh.apply(w, t, cfgs);
                List<FilterOutput> got = reusing.applyReusingMaps(w, t, cfgs);
                for (int i = 0; i < filters.size(); i++) {
                    String what = mode + " " + filters.get(i).name() + " tile " + t.index();
                    assertSameBits(what, got.get(i), want.get(i), want.get(i).map().toArray());
                }
                // The maps of one call are views of one array, not an array each.
                assertThat(got.get(0).map().data).isSameAs(got.get(2).map().data);
            }
        }
    }

    /**
     * An 8-bit window gives the bits of the same window widened to float, in every colour mode and
     * for kernels that take the channel-sum way (integer weights) and kernels that do not
     * (fractional weights, which the bank must widen instead), with 1, 3 and 4 channels.
     */
    @Test
    void eightBitWindowsGiveTheBitsOfTheirFloatWindows() {
        java.util.Random rnd = new java.util.Random(17);
        for (String spec :
                new String[] {
                    "vertical,sobel,laplacian",
                    "scharr,horizontal",
                    "blur=0.5,0.25,0.5;0.25,1,0.25;0.5,0.25,0.5",
                    "box5=1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1;1,1,1,1,1"
                }) {
            for (ColorMode mode : ColorMode.values()) {
                for (int channels : new int[] {1, 3, 4}) {
                    ConvParams p = ConvParams.DEFAULT.withColorMode(mode);
                    List<Filter> filters = Filters.parseList(spec);
                    FilterBank floats = new FilterBank(filters, p);
                    FilterBank bytes = new FilterBank(filters, p);
                    int w = 29;
                    int h = 19;
                    byte[] img = new byte[w * h * channels];
                    rnd.nextBytes(img);
                    // Some flat runs of the extremes, where sums and bins pile up.
                    java.util.Arrays.fill(img, 0, 40, (byte) 255);
                    java.util.Arrays.fill(img, 40, 80, (byte) 0);
                    ImageF32 f = ImageF32.allocate(w, h, channels);
                    for (int i = 0; i < img.length; i++) {
                        f.data[i] = img[i] & 0xff;
                    }
                    if (mode == ColorMode.GREY && channels != 1) {
                        continue; // a GREY bank takes grey windows only (prepare converts)
                    }
                    TilePlan plan = TilePlan.forFilters(w, h, filters, p, 8, 7);
                    List<StatsConfig> cfgs = new java.util.ArrayList<>();
                    for (Filter fl : filters) {
                        cfgs.add(StatsConfig.forFilter(fl, p, channels, 0, 255, 16, null, plan));
                    }
                    for (TileSpec t : plan.tiles()) {
                        ImageF32 fw = plan.extract(f, t);
                        byte[] bw = new byte[t.inW() * t.inH() * channels];
                        for (int i = 0; i < bw.length; i++) {
                            bw[i] = (byte) fw.data[i];
                        }
                        List<FilterOutput> want = floats.applyReusingMaps(fw, t, cfgs);
                        List<float[]> wantMaps = new java.util.ArrayList<>();
                        for (FilterOutput o : want) {
                            wantMaps.add(o.map().toArray());
                        }
                        List<FilterOutput> got = bytes.applyReusingMapsU8(bw, channels, t, cfgs);
                        for (int i = 0; i < filters.size(); i++) {
                            String what =
                                    spec
                                            + " "
                                            + mode
                                            + " c"
                                            + channels
                                            + " "
                                            + filters.get(i).name()
                                            + " tile "
                                            + t.index();
                            assertSameBits(what, got.get(i), want.get(i), wantMaps.get(i));
                        }
                    }
                }
            }
        }
    }

    @Test
    void anEightBitWindowOfTheWrongSizeIsRefused() {
        List<Filter> filters = Filters.parseList("sobel");
        TilePlan plan = TilePlan.forFilters(10, 10, filters, ConvParams.DEFAULT, 8, 8);
        TileSpec t = plan.tiles().get(0);
        FilterBank bank = new FilterBank(filters, ConvParams.DEFAULT);
        assertThatThrownBy(() -> bank.applyReusingMapsU8(new byte[10], 3, t, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not 10x10 pixels of 3 channels");
    }

    /** {@code got}'s map has the bits of {@code wantMap} and its statistics {@code want}'s. */
    private static void assertSameBits(
            String what, FilterOutput got, FilterOutput want, float[] wantMap) {
        assertThat(got.map().toArray())
                .as(what)
                .usingElementComparator(
                        (a, b) ->
                                Integer.compare(
                                        Float.floatToRawIntBits(a), Float.floatToRawIntBits(b)))
                .containsExactly(wantMap);
        assertThat(got.stats().toString()).as(what).isEqualTo(want.stats().toString());
        assertThat(Double.doubleToRawLongBits(got.stats().m2))
                .as(what)
                .isEqualTo(Double.doubleToRawLongBits(want.stats().m2));
        assertThat(got.stats().histogram).as(what).isEqualTo(want.stats().histogram);
        assertThat(got.stats().orientation).as(what).isEqualTo(want.stats().orientation);
    }

    @Test
    void colourModesDecideChannels() {
        ConvParams grey = ConvParams.DEFAULT.withColorMode(ColorMode.GREY);
        ConvParams per = ConvParams.DEFAULT.withColorMode(ColorMode.PER_CHANNEL);
        List<Filter> f = Filters.parseList("sobel");
        assertThat(new FilterBank(f, grey).windowChannels(3)).isEqualTo(1);
        assertThat(new FilterBank(f, grey).outputChannels(3)).isEqualTo(1);
        assertThat(new FilterBank(f, per).outputChannels(3)).isEqualTo(3);
        assertThat(new FilterBank(f, ConvParams.DEFAULT).outputChannels(3)).isEqualTo(1);
        ImageF32 rgb = ImageF32.allocate(4, 4, 3);
        assertThat(new FilterBank(f, grey).prepare(rgb).channels).isEqualTo(1);
        assertThat(new FilterBank(f, per).prepare(rgb)).isSameAs(rgb);
    }

    @Test
    void rejectsWindowsThatDoNotFitTheTile() {
        List<Filter> f = Filters.parseList("sobel");
        TilePlan plan = TilePlan.forFilters(8, 8, f, ConvParams.DEFAULT, 3, 3);
        FilterBank bank = new FilterBank(f, ConvParams.DEFAULT);
        assertThatThrownBy(() -> bank.apply(ImageF32.allocate(4, 5, 1), plan.tile(0)))
                .hasMessageContaining("window is 4x5 but tile 0 needs 5x5");
        FilterBank greyBank = new FilterBank(f, ConvParams.DEFAULT.withColorMode(ColorMode.GREY));
        assertThatThrownBy(() -> greyBank.apply(ImageF32.allocate(5, 5, 3), plan.tile(0)))
                .hasMessageContaining("FilterBank.prepare");
    }

    @Test
    void rejectsMixedSizesAndDuplicateNames() {
        assertThatThrownBy(
                        () -> new FilterBank(Filters.parseList("sobel|k=1,-1"), ConvParams.DEFAULT))
                .hasMessageContaining(
                        "filter 'k' is 1x2 but 'sobel' is 3x3; make one FilterBank per size");
        assertThatThrownBy(
                        () ->
                                new FilterBank(
                                        List.of(Filters.parse("sobel"), Filters.parse("sobel")),
                                        ConvParams.DEFAULT))
                .hasMessageContaining("appears twice");
    }
}
