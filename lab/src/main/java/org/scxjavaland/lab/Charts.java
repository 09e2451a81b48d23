package org.scxjavaland.lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plots of a comparison, drawn with XChart as SVG and embedded into the page as data URIs
 * (the page opens from disk, offline).
 */
final class Charts {
    static final int WIDTH = 560;
    static final int HEIGHT = 360;

    /** One colour per policy, in the order they were named. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    /** Latencies below this are drawn at it (the axis is logarithmic). */
    private static final double FLOOR_US = 0.1;
    /** Where the worst wake-up sits on the percentile axis: one decade past 99.99% (which is 4). */
    private static final double MAX_X_DECADES = 5;

    private Charts() {
    }

    static Color color(int policyIndex) {
        return PALETTE[policyIndex % PALETTE.length];
    }

    static String hex(int policyIndex) {
        return String.format(Locale.ROOT, "#%06x", color(policyIndex).getRGB() & 0xffffff);
    }

    /**
     * The wake-to-run latency of one group by percentile, one thick line per policy (the median
     * across seeds at each percentile) and one thin line per seed: the spread is the width of the
     * bundle. The y axis is logarithmic; the x axis is log10(1/(1-p)), so that 90, 99, 99.9 and
     * 99.99 are a decade of the tail apart (as HdrHistogram plots them), its ticks labelled with the
     * percentile, and a dotted line marks the median. The legend sits under the plot, where it
     * hides no curve.
     *
     * @param byPolicy each policy's runs, in policy order
     */
    static XYChart latencyCurves(String title, List<String> policies, List<List<RunResult>> byPolicy, String group) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("percentile of wake-ups (dotted line: 50, the median)")
                .yAxisTitle("wake-to-run latency (us)").build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(true).setYAxisLogarithmicDecadeOnly(true).setXAxisMin(0.0)
                .setXAxisMax(MAX_X_DECADES).setYAxisDecimalPattern("#,##0.#")
                .setxAxisTickLabelsFormattingFunction(Charts::percentileLabel);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS)
                .setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setAnnotationLineColor(new Color(0x999999))
                .setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {2f, 3f}, 0f));
        chart.addAnnotation(new AnnotationLine(x(50), true, false));
        double top = FLOOR_US;
        for (int p = 0; p < policies.size(); p++) {
            List<List<GroupResult.LatencyPoint>> curves = new ArrayList<>();
            for (RunResult run : byPolicy.get(p)) {
                GroupResult g = run.group(group);
                if (g != null && !g.latencyCurve().isEmpty()) {
                    curves.add(g.latencyCurve());
                }
            }
            if (curves.isEmpty()) {
                continue;
            }
            for (List<GroupResult.LatencyPoint> curve : curves) {
                top = Math.max(top, curve.get(curve.size() - 1).ns() / 1e3);
            }
            Color color = color(p);
            Color faint = new Color(color.getRed(), color.getGreen(), color.getBlue(), 90);
            for (int s = 0; s < curves.size(); s++) {
                XYSeries seed = chart.addSeries(policies.get(p) + " seed " + s, xs(curves.get(s)), ys(curves.get(s)));
                seed.setMarker(SeriesMarkers.NONE).setLineColor(faint).setLineWidth(1f).setShowInLegend(false);
            }
            List<GroupResult.LatencyPoint> first = curves.get(0);
            double[] median = new double[first.size()];
            for (int i = 0; i < median.length; i++) {
                List<Double> at = new ArrayList<>();
                for (List<GroupResult.LatencyPoint> curve : curves) {
                    at.add(Math.max(FLOOR_US, curve.get(i).ns() / 1e3));
                }
                median[i] = Spread.of(at).median();
            }
            XYSeries line = chart.addSeries(policies.get(p), xs(first), median);
            line.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(color).setLineColor(color)
                    .setLineStyle(new BasicStroke(2.5f));
        }
        // Up to the next decade, so that the worst line is not drawn on the frame.
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(top) + 1e-9)));
        return chart;
    }

    /**
     * One bar per group and policy: the median across seeds of {@code figure}.
     *
     * @param groups the groups that have the figure
     */
    static CategoryChart bars(String title, String yTitle, List<String> policies, List<List<RunResult>> byPolicy,
            List<String> groups, Figure figure) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("task group").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        for (int p = 0; p < policies.size(); p++) {
            List<Double> medians = new ArrayList<>();
            boolean any = false;
            for (String group : groups) {
                Spread s = Spread.of(byPolicy.get(p), group, figure);
                any |= !s.empty();
                medians.add(s.empty() ? 0.0 : s.median());
            }
            if (any) {
                chart.addSeries(policies.get(p), groups, medians).setFillColor(color(p));
            }
        }
        return chart;
    }

    private static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLegendBorderColor(new Color(0xdddddd));
        if (styler instanceof org.knowm.xchart.style.AxesChartStyler axes) {
            axes.setPlotBackgroundColor(Color.WHITE);
            axes.setPlotBorderVisible(false);
            axes.setPlotGridLinesColor(new Color(0xe5e5e5));
            axes.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            axes.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        }
    }

    /** A chart as an SVG data URI. */
    static String dataUri(Chart<?, ?> chart) {
        ByteArrayOutputStream svg = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "data:image/svg+xml;base64," + Base64.getEncoder().encodeToString(svg.toByteArray());
    }

    /** The x of a percentile: log10(1/(1-p)), the worst wake-up one decade past 99.99%. */
    static double x(double percentile) {
        return percentile >= 100 ? MAX_X_DECADES : -Math.log10(1 - percentile / 100);
    }

    private static double[] xs(List<GroupResult.LatencyPoint> curve) {
        double[] xs = new double[curve.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = x(curve.get(i).percentile());
        }
        return xs;
    }

    private static double[] ys(List<GroupResult.LatencyPoint> curve) {
        double[] ys = new double[curve.size()];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = Math.max(FLOOR_US, curve.get(i).ns() / 1e3);
        }
        return ys;
    }

    /**
     * The label of a tick of the percentile axis (x = log10(1/(1-p))): the percentile there, so
     * that the decades read 0, 90, 99, 99.9, 99.99 and max. A tick between decades (XChart may
     * choose half steps on a narrow plot) shows its percentile too, to three significant digits of
     * the tail. The labels must all differ, those of the ticks XChart computes beyond the axis's
     * ends included, or it widens the step for ever (knowm/XChart#799).
     */
    static String percentileLabel(double x) {
        if (x < -1e-9 || x > MAX_X_DECADES + 1e-9) {
            // XChart labels a step or two beyond each end too (never drawn): those must differ as well.
            return "(" + x + ")";
        }
        if (x >= MAX_X_DECADES - 1e-9) {
            return "max";
        }
        if (x <= 1e-9) {
            return "0";
        }
        double tail = 100 * Math.pow(10, -x);
        long decade = Math.round(x);
        int decimals = Math.abs(x - decade) < 1e-9 ? (int) decade - 1
                : Math.max(0, 2 - (int) Math.floor(Math.log10(tail)));
        return new java.math.BigDecimal(100 - tail).setScale(Math.max(0, decimals), java.math.RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString();
    }
}
