package io.edgestream.imaging.conv;

import io.edgestream.imaging.simd.ExpectedEngine;
import java.util.List;

/**
 * The engines this surefire execution must compare: scalar, plus vector in the vector run (where a
 * missing vector engine fails rather than leaving the scalar engine to be compared with itself).
 */
final class Engines {
    private Engines() {}

    static List<ConvEngine> all() {
        return ExpectedEngine.engines(
                "Convolution",
                Convolution.scalarEngine(),
                Convolution.vectorEngine(),
                Convolution.implementationReason());
    }
}
