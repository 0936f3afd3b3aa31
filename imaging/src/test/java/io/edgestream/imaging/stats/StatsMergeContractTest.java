package io.edgestream.imaging.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgestream.imaging.conv.ConvParams;
import io.edgestream.imaging.filter.Filter;
import io.edgestream.imaging.filter.FilterBank;
import io.edgestream.imaging.filter.FilterOutput;
import io.edgestream.imaging.filter.GradientFilter;
import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.tile.TileCases;
import io.edgestream.imaging.tile.TileCases.Geometry;
import io.edgestream.imaging.tile.TilePlan;
import io.edgestream.imaging.tile.TileSpec;
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
 * The merge contract: partial statistics of every tile, merged in any order and grouping, equal
 * {@link EdgeStatistics#whole} on the whole map: exactly for counts, histograms, orientation
 * histograms, min/max and the density grid; within 1e-9 relative for mean, stddev and meanAbs.
 */
class StatsMergeContractTest {

    @Property(tries = 800)
    void mergedTilePartialsEqualTheWholeMap(
            @ForAll @IntRange(min = 1, max = 80) int width,
            @ForAll @IntRange(min = 1, max = 80) int height,
            @ForAll boolean colour,
            @ForAll("tiles") Geometry g,
            @ForAll @IntRange(min = 1, max = 40) int bins,
            @ForAll boolean defaultThreshold,
            @ForAll boolean injectNonFinite,
            @ForAll long seed) {
        Random rnd = new Random(seed);
        int channels = colour ? 3 : 1;
        ImageF32 image = TileCases.image(rnd, width, height, channels);
        if (injectNonFinite) {
            // FLOAT32 input may carry NaN/Inf; they must be counted apart, never summed.
            float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
            for (int i = 0; i < 1 + image.data.length / 50; i++) {
                image.data[rnd.nextInt(image.data.length)] = specials[rnd.nextInt(3)];
            }
        }
        List<Filter> filters = TileCases.filters(rnd, g.kernelRows(), g.kernelCols());
        ConvParams p = g.params(rnd.nextFloat() * 300f - 20f);
        TilePlan plan = g.plan(width, height, filters, p);
        if (plan.isEmpty()) {
            return;
        }
        List<StatsConfig> cfgs = new ArrayList<>();
        for (Filter f : filters) {
            StatsConfig c = StatsConfig.forFilter(f, p, channels, 0f, 255f, bins, null, plan);
            cfgs.add(
                    defaultThreshold
                            ? c
                            : c.withEdgeThreshold(rnd.nextDouble() * c.histogramMax() * 0.5));
        }

        FilterBank bank = new FilterBank(filters, p);
        ImageF32 prepared = bank.prepare(image);
        List<List<EdgeStatsPartial>> partials = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            partials.add(new ArrayList<>());
        }
        for (TileSpec t : plan.tiles()) {
            List<FilterOutput> outs = bank.apply(plan.extract(prepared, t), t, cfgs);
            for (int i = 0; i < filters.size(); i++) {
                partials.get(i).add(outs.get(i).stats());
            }
        }

        for (int i = 0; i < filters.size(); i++) {
            Filter f = filters.get(i);
            StatsConfig cfg = cfgs.get(i);
            ImageF32 map = TileCases.reference(image, f, p);
            ImageF32 gx = null;
            ImageF32 gy = null;
            if (f instanceof GradientFilter) {
                ImageF32[] grad = TileCases.gradients(image, f, p);
                gx = grad[0];
                gy = grad[1];
            }
            EdgeSummary want = EdgeStatistics.whole(map, gx, gy, cfg, plan);
            EdgeSummary got = mergeRandomly(partials.get(i), rnd).finish(cfg);
            assertSame(got, want, f.name() + " " + plan);
        }
    }

    @Provide
    Arbitrary<Geometry> tiles() {
        return TileCases.geometries(1, 40);
    }

    /** Shuffles, splits into random groups, merges each group, then merges the groups. */
    private static EdgeStatsPartial mergeRandomly(List<EdgeStatsPartial> parts, Random rnd) {
        List<EdgeStatsPartial> order = new ArrayList<>(parts);
        Collections.shuffle(order, rnd);
        List<EdgeStatsPartial> groups = new ArrayList<>();
        EdgeStatsPartial current = new EdgeStatsPartial();
        for (EdgeStatsPartial p : order) {
            current.merge(p);
            if (rnd.nextInt(4) == 0) {
                groups.add(current);
                current = new EdgeStatsPartial();
            }
        }
        groups.add(current);
        Collections.shuffle(groups, rnd);
        EdgeStatsPartial total = new EdgeStatsPartial();
        for (EdgeStatsPartial g : groups) {
            total.merge(g);
        }
        return total;
    }

    static void assertSame(EdgeSummary got, EdgeSummary want, String what) {
        assertThat(got.pixelCount()).as(what).isEqualTo(want.pixelCount());
        assertThat(got.nonFiniteCount()).as(what).isEqualTo(want.nonFiniteCount());
        assertThat(got.edgeCount()).as(what).isEqualTo(want.edgeCount());
        assertThat(got.edgeFraction()).as(what).isEqualTo(want.edgeFraction());
        assertThat(got.edgeThreshold()).as(what).isEqualTo(want.edgeThreshold());
        assertThat(Double.doubleToLongBits(got.min()))
                .as(what)
                .isEqualTo(Double.doubleToLongBits(want.min()));
        assertThat(Double.doubleToLongBits(got.max()))
                .as(what)
                .isEqualTo(Double.doubleToLongBits(want.max()));
        assertThat(got.histogram().min()).isEqualTo(want.histogram().min());
        assertThat(got.histogram().max()).isEqualTo(want.histogram().max());
        assertThat(got.histogram().counts()).as(what).isEqualTo(want.histogram().counts());
        assertThat(got.histogram().total()).isEqualTo(want.pixelCount());
        assertThat(got.orientation()).as(what).isEqualTo(want.orientation());
        assertThat(got.density().rows()).isEqualTo(want.density().rows());
        assertThat(got.density().cols()).isEqualTo(want.density().cols());
        assertThat(got.density().fraction()).as(what).isEqualTo(want.density().fraction());
        // The data's scale bounds the absolute error of a compensated sum whose value is ~0.
        double scale = Math.max(Math.abs(want.min()), Math.abs(want.max()));
        assertClose(got.mean(), want.mean(), scale, what + " mean");
        assertClose(got.stddev(), want.stddev(), scale, what + " stddev");
        assertClose(got.meanAbs(), want.meanAbs(), scale, what + " meanAbs");
    }

    private static void assertClose(double got, double want, double scale, String what) {
        if (Double.isNaN(want)) {
            assertThat(got).as(what).isNaN();
            return;
        }
        double tol = 1e-9 * Math.abs(want) + 1e-15 * scale;
        assertThat(Math.abs(got - want))
                .as(what + ": " + got + " vs " + want)
                .isLessThanOrEqualTo(tol);
    }
}
