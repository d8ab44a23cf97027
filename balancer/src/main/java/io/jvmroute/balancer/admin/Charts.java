package io.jvmroute.balancer.admin;

import java.util.Locale;

/**
 * Small inline SVG charts drawn on the server, so the page needs no script library and no external
 * asset (it is served where there may be no network). Shapes only, no text: the numbers stand beside.
 */
final class Charts {

    static final int WIDTH = 180;
    static final int HEIGHT = 34;
    private static final int MIN_ERROR_MARK = 6;

    private Charts() {
    }

    /**
     * Requests per slot as a filled line, errors per slot as red bars on the same scale, oldest left.
     *
     * @param label what a screen reader and the tooltip say
     */
    static String traffic(long[] requests, long[] errors, String label) {
        StringBuilder sb = open(label);
        int n = requests.length;
        if (n == 0) {
            return sb.append("</svg>").toString();
        }
        long max = 1;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.max(requests[i], i < errors.length ? errors[i] : 0));
        }
        double step = n == 1 ? WIDTH : WIDTH / (double) (n - 1);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < n; i++) {
            line.append(i == 0 ? "" : " ").append(f(i * step)).append(',').append(f(y(requests[i], max)));
        }
        sb.append("<polygon class=\"area\" points=\"0,").append(HEIGHT).append(' ').append(line).append(' ')
                .append(WIDTH).append(',').append(HEIGHT).append("\"/>");
        sb.append("<polyline class=\"line\" points=\"").append(line).append("\"/>");
        double bar = Math.max(1.5, WIDTH / (double) n - 0.5);
        for (int i = 0; i < errors.length && i < n; i++) {
            if (errors[i] > 0) {
                // a few errors among many requests would be one pixel high: at least a visible mark
                double top = Math.min(y(errors[i], max), HEIGHT - MIN_ERROR_MARK);
                sb.append("<rect class=\"err\" x=\"").append(f(Math.min(i * step, WIDTH - bar))).append("\" y=\"")
                        .append(f(top)).append("\" width=\"").append(f(bar)).append("\" height=\"")
                        .append(f(HEIGHT - top)).append("\"/>");
            }
        }
        return sb.append("</svg>").toString();
    }

    /** One bar per value, oldest left; the last bar (a period still filling) drawn lighter. */
    static String bars(long[] values, String label) {
        StringBuilder sb = open(label);
        int n = values.length;
        long max = 1;
        for (long v : values) {
            max = Math.max(max, v);
        }
        double slot = WIDTH / (double) Math.max(n, 1);
        for (int i = 0; i < n; i++) {
            double top = y(values[i], max);
            sb.append("<rect class=\"").append(i == n - 1 ? "bar now" : "bar").append("\" x=\"").append(f(i * slot + 1))
                    .append("\" y=\"").append(f(top)).append("\" width=\"").append(f(slot - 2)).append("\" height=\"")
                    .append(f(HEIGHT - top)).append("\"/>");
        }
        return sb.append("</svg>").toString();
    }

    private static StringBuilder open(String label) {
        String l = StatusFormats.escape(label);
        return new StringBuilder("<svg class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"").append(l).append("\"><title>")
                .append(l).append("</title>");
    }

    /** Top of a value on a chart whose top is {@code max}; a small value stays visible (1 px). */
    private static double y(long value, long max) {
        if (value == 0) {
            return HEIGHT;
        }
        return Math.min(HEIGHT - 1, HEIGHT - (HEIGHT - 2) * value / (double) max);
    }

    private static String f(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }
}
