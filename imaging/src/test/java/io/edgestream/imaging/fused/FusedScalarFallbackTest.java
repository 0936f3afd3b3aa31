package io.edgestream.imaging.fused;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.edgestream.imaging.image.ImageF32;
import io.edgestream.imaging.image.ImageU8;
import io.edgestream.imaging.simd.ExpectedEngine;
import io.edgestream.imaging.stats.StatsConfig;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs in the {@code scalar-fallback} surefire execution (no {@code jdk.incubator.vector}): the
 * fused kernel must load without the Vector API, pick the scalar path and match the reference. In
 * the default execution it is excluded, and skips itself if run.
 */
class FusedScalarFallbackTest {

    @BeforeEach
    void onlyInTheScalarFallbackExecution() {
        // Decided by the build (ExpectedEngine), not by the JVM: if the module leaked into the
        // scalar-fallback execution this test must fail, not skip.
        assumeTrue(
                ExpectedEngine.expected() == ExpectedEngine.Kind.SCALAR,
                "this test is for the scalar-fallback execution");
    }

    @Test
    void theScalarPathIsSelectedAndMatchesTheReference() {
        ExpectedEngine.assertSelected(
                "FusedSobelU8",
                FusedSobelU8.implementation(),
                FusedSobelU8.vectorEngine(),
                FusedSobelU8.implementationReason());
        StatsConfig cfg = FusedSobelU8Test.sobelConfig();
        ImageU8 in = FusedSobelU8Test.randomView(new Random(1), 61, 23, false);
        FusedSobelU8 k = new FusedSobelU8(cfg);
        GradientStats st = k.newStats();
        ImageF32 out = ImageF32.allocate(59, 21, 1);
        k.apply(in, out, st);
        FusedSobelU8Test.Reference ref = new FusedSobelU8Test.Reference(in, cfg);
        assertThat(out.data).containsExactly(ref.mag);
        FusedSobelU8Test.assertSameStats(st, ref.stats);
    }
}
