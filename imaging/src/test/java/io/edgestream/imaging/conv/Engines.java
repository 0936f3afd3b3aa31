package io.edgestream.imaging.conv;

import java.util.ArrayList;
import java.util.List;

/** The engines available in this JVM, for tests that compare them. */
final class Engines {
    private Engines() {}

    static List<ConvEngine> all() {
        List<ConvEngine> list = new ArrayList<>();
        list.add(Convolution.scalarEngine());
        if (Convolution.vectorEngine() != null) {
            list.add(Convolution.vectorEngine());
        }
        return list;
    }
}
