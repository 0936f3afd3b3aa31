package io.edgestream.clients.convolve;

import io.edgestream.imaging.image.ImageF32;
import java.io.PrintStream;
import java.util.Locale;

/** What {@code convolve} prints: sizes and value range, and the values of small maps. */
final class ConvolveReport {
    private ConvolveReport() {}

    /** One line: input and output sizes, the output's value range, filter and parameters. */
    static void summary(
            ConvolveFile.Options o,
            ImageF32 image,
            ImageF32 map,
            float min,
            float max,
            PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%s: %s %dx%d%s -> %s %dx%d%s (width x height%s), values %s .. %s; %s%n",
                ConvolveFile.TOOL,
                o.in,
                image.width,
                image.height,
                image.channels == 1 ? "" : "x" + image.channels,
                o.out,
                map.width,
                map.height,
                map.channels == 1 ? "" : "x" + map.channels,
                map.channels == 1 ? "" : " x channels",
                number(min),
                number(max),
                o.filter.name() + " " + o.params);
    }

    /** The map's values, a row per line, right-aligned in columns of 8; channel by channel. */
    static void matrix(ImageF32 map, PrintStream out) {
        for (int c = 0; c < map.channels; c++) {
            if (map.channels > 1) {
                out.println("channel " + c + ":");
            }
            for (int y = 0; y < map.height; y++) {
                StringBuilder sb = new StringBuilder();
                for (int x = 0; x < map.width; x++) {
                    String v = number(map.get(x, y, c));
                    sb.append(" ".repeat(Math.max(1, 8 - v.length()))).append(v);
                }
                out.println(sb);
            }
        }
    }

    /** Whole numbers as they are, others with 4 significant digits. */
    static String number(float v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
