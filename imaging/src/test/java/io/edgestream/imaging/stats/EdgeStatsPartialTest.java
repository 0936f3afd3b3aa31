package io.edgestream.imaging.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.tile.TileSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class EdgeStatsPartialTest {
    // Range [-4, 4] in 8 bins of 1, edges at |v| >= 2, a 2x1 grid.
    private static final StatsConfig CFG = new StatsConfig(8, -4, 4, 2, 0, 2, 1);

    private static TileSpec tile(int col) {
        return new TileSpec(col, col, 0, col * 2, 0, 2, 2, col * 2, 0, 2, 2);
    }

    @Test
    void oneTileGivesExactStatistics() {
        ImageF32 map = ImageF32.wrap(new float[] {-3, -1, 1, 3}, 2, 2, 1);
        EdgeSummary s = EdgeStatsPartial.of(map, null, null, CFG, tile(1)).finish(CFG);
        assertThat(s.pixelCount()).isEqualTo(4);
        assertThat(s.nonFiniteCount()).isZero();
        assertThat(s.min()).isEqualTo(-3);
        assertThat(s.max()).isEqualTo(3);
        assertThat(s.mean()).isZero();
        assertThat(s.stddev()).isCloseTo(Math.sqrt(5), within(1e-15));
        assertThat(s.meanAbs()).isEqualTo(2);
        assertThat(s.edgeCount()).isEqualTo(2);
        assertThat(s.edgeFraction()).isEqualTo(0.5);
        assertThat(s.histogram().counts()).containsExactly(0, 1, 0, 1, 0, 1, 0, 1);
        assertThat(s.orientation()).isNull();
        assertThat(s.density().fraction()).containsExactly(0f, 0.5f);
        assertThat(s.density().at(1, 0)).isEqualTo(0.5f);
    }

    @Test
    void nonFiniteValuesAreCountedApart() {
        ImageF32 map =
                ImageF32.wrap(
                        new float[] {
                            Float.NaN, 1, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY
                        },
                        2,
                        2,
                        1);
        EdgeSummary s = EdgeStatsPartial.of(map, null, null, CFG, tile(0)).finish(CFG);
        assertThat(s.nonFiniteCount()).isEqualTo(3);
        assertThat(s.pixelCount()).isEqualTo(1);
        assertThat(s.mean()).isEqualTo(1);
        assertThat(s.stddev()).isZero();
        assertThat(s.histogram().total()).isEqualTo(1);
        assertThat(s.edgeCount()).isZero();
    }

    @Test
    void allNonFiniteGivesNaNMoments() {
        ImageF32 map = ImageF32.wrap(new float[] {Float.NaN, Float.NaN}, 2, 1, 1);
        EdgeSummary s = EdgeStatsPartial.of(map, null, null, CFG, tile(0)).finish(CFG);
        assertThat(s.pixelCount()).isZero();
        assertThat(s.mean()).isNaN();
        assertThat(s.min()).isNaN();
        assertThat(s.edgeFraction()).isZero();
    }

    @Test
    void orientationCountsEdgePixelsOnly() {
        StatsConfig cfg = new StatsConfig(4, 0, 8, 2, 4, 1, 1);
        ImageF32 gx = ImageF32.wrap(new float[] {3, 0, -3, 1}, 4, 1, 1);
        ImageF32 gy = ImageF32.wrap(new float[] {0, 3, 0, 0}, 4, 1, 1);
        ImageF32 mag = ImageF32.wrap(new float[] {3, 3, 3, 1}, 4, 1, 1);
        TileSpec t = new TileSpec(0, 0, 0, 0, 0, 4, 1, 0, 0, 4, 1);
        EdgeSummary s = EdgeStatsPartial.of(mag, gx, gy, cfg, t).finish(cfg);
        // 0 rad -> bin 2, pi/2 -> bin 3, pi (folded to -pi) -> bin 0; the weak pixel is ignored.
        assertThat(s.orientation()).containsExactly(1, 0, 1, 1);
    }

    @Test
    void mergeIsOrderIndependentAndAFreshInstanceIsNeutral() {
        EdgeStatsPartial a =
                EdgeStatsPartial.of(
                        ImageF32.wrap(new float[] {-3, -1, 1, 3}, 2, 2, 1),
                        null,
                        null,
                        CFG,
                        tile(0));
        EdgeStatsPartial b =
                EdgeStatsPartial.of(
                        ImageF32.wrap(new float[] {4, 4, 2, 0}, 2, 2, 1), null, null, CFG, tile(1));
        EdgeStatsPartial ab = new EdgeStatsPartial();
        ab.merge(a);
        ab.merge(b);
        EdgeStatsPartial ba = new EdgeStatsPartial();
        ba.merge(b);
        ba.merge(new EdgeStatsPartial());
        ba.merge(a);
        EdgeSummary x = ab.finish(CFG);
        EdgeSummary y = ba.finish(CFG);
        assertThat(x.pixelCount()).isEqualTo(8);
        assertThat(x.mean()).isEqualTo(1.25);
        // Population variance of {-3,-1,1,3,4,4,2,0}: mean 1.25, sum of squares 56.
        assertThat(x.stddev()).isCloseTo(Math.sqrt(56 / 8.0 - 1.25 * 1.25), within(1e-12));
        assertThat(y.stddev()).isCloseTo(x.stddev(), within(1e-15));
        assertThat(x.histogram().counts()).isEqualTo(y.histogram().counts());
        assertThat(x.density().fraction()).containsExactly(0.5f, 0.75f);
        assertThat(y.density().fraction()).containsExactly(0.5f, 0.75f);
        assertThat(x.max()).isEqualTo(4);
    }

    @Test
    void mergeRejectsPartialsOfAnotherConfiguration() {
        EdgeStatsPartial a =
                EdgeStatsPartial.of(
                        ImageF32.wrap(new float[] {1}, 1, 1, 1), null, null, CFG, tile(0));
        StatsConfig other = new StatsConfig(4, -4, 4, 2, 0, 2, 1);
        EdgeStatsPartial b =
                EdgeStatsPartial.of(
                        ImageF32.wrap(new float[] {1}, 1, 1, 1), null, null, other, tile(1));
        assertThatThrownBy(() -> a.merge(b))
                .hasMessageContaining("8 and 4 histogram bins")
                .hasMessageContaining("same StatsConfig");
    }

    @Test
    void tilesOutsideTheGridAreRejected() {
        assertThatThrownBy(
                        () ->
                                EdgeStatsPartial.of(
                                        ImageF32.wrap(new float[] {1}, 1, 1, 1),
                                        null,
                                        null,
                                        CFG,
                                        tile(2)))
                .hasMessageContaining("outside the statistics grid 2x1");
    }

    @Test
    void isAFlinkPojoWithPrimitiveFieldsOnly() throws Exception {
        assertThat(Modifier.isPublic(EdgeStatsPartial.class.getModifiers())).isTrue();
        assertThat(EdgeStatsPartial.class.getConstructor()).isNotNull();
        int fields = 0;
        for (Field f : EdgeStatsPartial.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            fields++;
            assertThat(Modifier.isPublic(f.getModifiers())).as(f.getName()).isTrue();
            assertThat(Modifier.isFinal(f.getModifiers())).as(f.getName()).isFalse();
            Class<?> t = f.getType();
            assertThat(t.isPrimitive() || (t.isArray() && t.getComponentType().isPrimitive()))
                    .as(f.getName() + " is " + t)
                    .isTrue();
        }
        assertThat(fields).isGreaterThanOrEqualTo(15);
    }
}
