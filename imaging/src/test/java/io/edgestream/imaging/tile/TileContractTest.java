package io.edgestream.imaging.tile;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.conv.Convolution;
import io.edgestream.imaging.conv.Padding;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.FilterOutput;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.tile.TileCases.Geometry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * THE TILE CONTRACT: cutting an image with a {@link TilePlan}, running a {@link FilterBank} on
 * every tile window and reassembling the tiles in any order gives exactly, bit for bit, the
 * whole-image convolution, for every padding, border mode, stride, colour mode, kernel shape and
 * tile size.
 */
class TileContractTest {

    @Property(tries = 1500)
    void reassembledTilesEqualTheWholeImageBitForBit(
            @ForAll @IntRange(min = 1, max = 80) int width,
            @ForAll @IntRange(min = 1, max = 80) int height,
            @ForAll boolean colour,
            @ForAll("anyTiles") Geometry g,
            @ForAll long seed) {
        check(width, height, colour, g, seed);
    }

    /** Many small tiles on larger images: most output pixels sit near a seam. */
    @Property(tries = 300)
    void manySmallTilesEqualTheWholeImageBitForBit(
            @ForAll @IntRange(min = 20, max = 80) int width,
            @ForAll @IntRange(min = 20, max = 80) int height,
            @ForAll boolean colour,
            @ForAll("smallTiles") Geometry g,
            @ForAll long seed) {
        check(width, height, colour, g, seed);
    }

    @Provide
    Arbitrary<Geometry> anyTiles() {
        return TileCases.geometries(1, 40);
    }

    @Provide
    Arbitrary<Geometry> smallTiles() {
        return TileCases.geometries(1, 6);
    }

    private static void check(int width, int height, boolean colour, Geometry g, long seed) {
        Random rnd = new Random(seed);
        int channels = colour ? 3 : 1;
        ImageF32 image = TileCases.image(rnd, width, height, channels);
        List<Filter> filters = TileCases.filters(rnd, g.kernelRows(), g.kernelCols());
        ConvParams p = g.params(rnd.nextFloat() * 300f - 20f);

        TilePlan plan = g.plan(width, height, filters, p);
        List<ImageF32> expected = new ArrayList<>();
        for (Filter f : filters) {
            expected.add(TileCases.reference(image, f, p));
        }
        if (plan.isEmpty()) {
            assertThat(g.padding()).isEqualTo(Padding.VALID);
            for (ImageF32 e : expected) {
                assertThat(e.width == 0 || e.height == 0).isTrue();
            }
            return;
        }

        FilterBank bank = new FilterBank(filters, p);
        ImageF32 prepared = bank.prepare(image);
        int outC = bank.outputChannels(channels);
        List<MapAssembler> assemblers = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            assemblers.add(MapAssembler.forPlan(plan, outC));
        }
        List<TileSpec> order = new ArrayList<>(plan.tiles());
        Collections.shuffle(order, rnd);
        boolean views = rnd.nextBoolean();
        for (TileSpec t : order) {
            // Shipped windows are compact; windows inside the image may also be strided views.
            ImageF32 window =
                    views
                            ? Convolution.window(
                                    prepared,
                                    t.inX(),
                                    t.inY(),
                                    t.inW(),
                                    t.inH(),
                                    p.border(),
                                    p.borderConstant())
                            : plan.extract(prepared, t);
            List<FilterOutput> outs = bank.apply(window, t);
            assertThat(outs).hasSize(filters.size());
            for (int i = 0; i < filters.size(); i++) {
                assertThat(outs.get(i).filter()).isSameAs(filters.get(i));
                assertThat(outs.get(i).stats()).isNull();
                assemblers.get(i).add(t, outs.get(i).map());
            }
        }
        for (int i = 0; i < filters.size(); i++) {
            MapAssembler a = assemblers.get(i);
            assertThat(a.isComplete()).isTrue();
            ImageF32 got = a.result();
            ImageF32 want = expected.get(i);
            assertThat(got.width).isEqualTo(want.width);
            assertThat(got.height).isEqualTo(want.height);
            assertThat(got.channels).isEqualTo(want.channels);
            int diff = TileCases.firstBitDifference(got, want);
            assertThat(diff)
                    .as(
                            "first differing value of filter %s (%s, %s): tiled %s vs whole %s",
                            filters.get(i).name(),
                            plan,
                            p,
                            diff < 0 ? "" : got.toArray()[diff],
                            diff < 0 ? "" : want.toArray()[diff])
                    .isEqualTo(-1);
        }
    }
}
