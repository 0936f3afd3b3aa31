package io.edgestream.clients.consume;

import io.edgestream.schemas.Histogram;
import java.util.List;
import java.util.Locale;

/**
 * The gallery's two charts of a map, as inline SVG (no scripts, no network, no libraries):
 *
 * <ul>
 *   <li>{@link #response}: the histogram of the map's values ({@code EdgeStats.histogram}), one bar
 *       per bin over {@code [min, max]}, {@value #BAR_W} x {@value #BAR_H} px, bar heights on a log
 *       scale ({@code log(1 + count) / log(1 + largest count)}) because edge maps are mostly near
 *       zero and a linear scale would show one bar; every non-empty bin has a bar of at least 1 px,
 *       an empty bin none; the range is written below.
 *   <li>{@link #orientation}: for gradient filters, the histogram of gradient directions {@code
 *       atan2(gy, gx)} of the edge samples ({@code EdgeStats.orientationHistogram}, equal bins over
 *       {@code [-π, π)}) as a rose: bin i is a wedge from angle {@code -π + i·2π/n} to the next,
 *       with its area proportional to the count (radius {@code R·sqrt(count / largest)}), drawn in
 *       image coordinates (x to the right, y down), so a wedge points where the gradient points on
 *       the picture.
 * </ul>
 *
 * Bars are {@value #BAR_COLOR}, wedges {@value #ROSE_COLOR}; the headless-browser test finds them
 * on a screenshot by these colours.
 */
final class HistogramSvg {
    static final int BAR_W = 256;
    static final int BAR_H = 64;
    static final int ROSE_R = 40;
    static final String BAR_COLOR = "#2060e0";
    static final String ROSE_COLOR = "#e07020";

    private HistogramSvg() {}

    /** The response histogram's SVG, or an empty string if it has no bins. */
    static String response(Histogram h, String filter) {
        List<Long> counts = h.getCounts();
        int n = counts.size();
        if (n == 0) {
            return "";
        }
        long most = 0;
        long total = 0;
        for (long c : counts) {
            most = Math.max(most, c);
            total += c;
        }
        StringBuilder sb = new StringBuilder(64 + 64 * n);
        sb.append("<svg class=\"hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(BAR_W)
                .append("\" height=\"")
                .append(BAR_H + 14)
                .append("\" viewBox=\"0 0 ")
                .append(BAR_W)
                .append(' ')
                .append(BAR_H + 14)
                .append("\" role=\"img\" shape-rendering=\"crispEdges\"><title>")
                .append(Gallery.escape(filter))
                .append(": histogram of the map's values, ")
                .append(n)
                .append(" bins over [")
                .append(num(h.getMin()))
                .append(", ")
                .append(num(h.getMax()))
                .append("], ")
                .append(total)
                .append(" samples, log scale</title>")
                .append("<rect x=\"0\" y=\"0\" width=\"")
                .append(BAR_W)
                .append("\" height=\"")
                .append(BAR_H)
                .append("\" fill=\"#f4f4f4\"/>");
        double logMost = Math.log1p(most);
        for (int i = 0; i < n; i++) {
            long c = counts.get(i);
            if (c <= 0) {
                continue;
            }
            int x0 = (int) Math.round((double) i * BAR_W / n);
            int x1 = (int) Math.round((double) (i + 1) * BAR_W / n);
            int hgt = Math.max(1, (int) Math.round(BAR_H * Math.log1p(c) / logMost));
            sb.append("<rect class=\"bar\" x=\"")
                    .append(x0)
                    .append("\" y=\"")
                    .append(BAR_H - hgt)
                    .append("\" width=\"")
                    .append(Math.max(1, x1 - x0))
                    .append("\" height=\"")
                    .append(hgt)
                    .append("\" fill=\"")
                    .append(BAR_COLOR)
                    .append("\"><title>")
                    .append(c)
                    .append("</title></rect>");
        }
        sb.append("<text x=\"0\" y=\"")
                .append(BAR_H + 11)
                .append("\" font-size=\"10\">")
                .append(num(h.getMin()))
                .append("</text><text x=\"")
                .append(BAR_W)
                .append("\" y=\"")
                .append(BAR_H + 11)
                .append("\" font-size=\"10\" text-anchor=\"end\">")
                .append(num(h.getMax()))
                .append("</text></svg>");
        return sb.toString();
    }

    /** The orientation rose's SVG, or an empty string without counts or without edges. */
    static String orientation(List<Long> counts, String filter) {
        if (counts == null || counts.isEmpty()) {
            return "";
        }
        int n = counts.size();
        long most = 0;
        long total = 0;
        for (long c : counts) {
            most = Math.max(most, c);
            total += c;
        }
        if (most <= 0) {
            return "";
        }
        int size = 2 * ROSE_R + 8;
        double cx = size / 2.0;
        double cy = size / 2.0;
        StringBuilder sb = new StringBuilder(128 + 96 * n);
        sb.append("<svg class=\"rose\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
                .append(size)
                .append("\" height=\"")
                .append(size)
                .append("\" viewBox=\"0 0 ")
                .append(size)
                .append(' ')
                .append(size)
                .append("\" role=\"img\"><title>")
                .append(Gallery.escape(filter))
                .append(": gradient directions of ")
                .append(total)
                .append(" edge samples, ")
                .append(n)
                .append(" bins over [-180°, 180°), image coordinates (y down)</title>")
                .append("<circle cx=\"")
                .append(fmt(cx))
                .append("\" cy=\"")
                .append(fmt(cy))
                .append("\" r=\"")
                .append(ROSE_R)
                .append("\" fill=\"none\" stroke=\"#ccc\"/>");
        for (int i = 0; i < n; i++) {
            long c = counts.get(i);
            if (c <= 0) {
                continue;
            }
            double r = ROSE_R * Math.sqrt((double) c / most);
            sb.append("<path class=\"wedge\" fill=\"").append(ROSE_COLOR).append("\" d=\"");
            if (n == 1) {
                // One bin is the whole circle: two half arcs.
                sb.append("M ")
                        .append(fmt(cx - r))
                        .append(' ')
                        .append(fmt(cy))
                        .append(" a ")
                        .append(fmt(r))
                        .append(' ')
                        .append(fmt(r))
                        .append(" 0 1 0 ")
                        .append(fmt(2 * r))
                        .append(" 0 a ")
                        .append(fmt(r))
                        .append(' ')
                        .append(fmt(r))
                        .append(" 0 1 0 ")
                        .append(fmt(-2 * r))
                        .append(" 0 Z");
            } else {
                double a0 = -Math.PI + 2 * Math.PI * i / n;
                double a1 = -Math.PI + 2 * Math.PI * (i + 1) / n;
                sb.append("M ")
                        .append(fmt(cx))
                        .append(' ')
                        .append(fmt(cy))
                        .append(" L ")
                        .append(fmt(cx + r * Math.cos(a0)))
                        .append(' ')
                        .append(fmt(cy + r * Math.sin(a0)))
                        .append(" A ")
                        .append(fmt(r))
                        .append(' ')
                        .append(fmt(r))
                        .append(" 0 ")
                        .append(a1 - a0 > Math.PI ? 1 : 0)
                        .append(" 1 ")
                        .append(fmt(cx + r * Math.cos(a1)))
                        .append(' ')
                        .append(fmt(cy + r * Math.sin(a1)))
                        .append(" Z");
            }
            sb.append("\"><title>").append(c).append("</title></path>");
        }
        return sb.append("</svg>").toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double d) {
        return Gallery.escape(Gallery.num(d));
    }
}
