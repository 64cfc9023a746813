package io.raftlab.chaos.report;

import io.raftlab.checker.history.Operation;
import io.raftlab.checker.history.Outcome;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Latency and throughput over time, as XChart PNGs, with the run's faults as shaded bands. */
final class RunCharts {
  static final Color OK = new Color(0x2c, 0xa0, 0x2c);
  static final Color FAIL = new Color(0xd6, 0x27, 0x28);
  static final Color INFO = new Color(0x99, 0x99, 0x99);
  private static final int WIDTH = 1200;
  private static final int HEIGHT = 340;
  /** More dots than this only blur into a band and slow rendering down; the rest are sampled. */
  static final int MAX_SCATTER_POINTS = 20_000;

  private final RunDirectory run;
  private final FaultPalette palette;
  private final double durationSeconds;
  private final double binSeconds;

  RunCharts(RunDirectory run, FaultPalette palette) {
    this.run = run;
    this.palette = palette;
    this.durationSeconds = Math.max(run.seconds(run.endNanos()), 1e-6);
    // Up to 120 bins, but about 10 operations per bin on average so that small runs are not spiky.
    int bins = Math.max(10, Math.min(120, run.history().size() / 10));
    this.binSeconds = niceBin(durationSeconds / bins);
  }

  /** Width of the throughput and percentile bins, in seconds. */
  double binSeconds() {
    return binSeconds;
  }

  /** A bin width of 1, 2 or 5 times a power of ten, at least one microsecond. */
  static double niceBin(double raw) {
    double target = Math.max(raw, 1e-6);
    double power = Math.pow(10, Math.floor(Math.log10(target)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= target) {
        return m * power;
      }
    }
    return 10 * power;
  }

  /**
   * Each completed ok/fail operation as a dot at its completion time (info operations have no
   * known latency), plus the median and 99th percentile of ok latencies per bin.
   */
  byte[] latencyPng() throws IOException {
    return BitmapEncoder.getBitmapBytes(latencyChart(), BitmapEncoder.BitmapFormat.PNG);
  }

  XYChart latencyChart() {
    XYChart chart = baseChart("Latency of completed operations", "latency (ms)");
    List<double[]> ok = new ArrayList<>();
    List<double[]> fail = new ArrayList<>();
    int bins = (int) Math.ceil(durationSeconds / binSeconds) + 1;
    List<List<Double>> perBin = new ArrayList<>(bins);
    for (int i = 0; i < bins; i++) {
      perBin.add(new ArrayList<>());
    }
    double minLatency = Double.MAX_VALUE;
    double maxLatency = 0;
    for (Operation op : run.history().operations()) {
      if (op.outcome() == Outcome.INFO || op.completeNanos() == Long.MAX_VALUE) {
        continue;
      }
      double t = run.seconds(op.completeNanos());
      double ms = Math.max((op.completeNanos() - op.invokeNanos()) / 1e6, 1e-3);
      minLatency = Math.min(minLatency, ms);
      maxLatency = Math.max(maxLatency, ms);
      (op.outcome() == Outcome.OK ? ok : fail).add(new double[] {t, ms});
      if (op.outcome() == Outcome.OK) {
        perBin.get(Math.min(bins - 1, (int) (t / binSeconds))).add(ms);
      }
    }
    if (ok.isEmpty() && fail.isEmpty()) {
      return emptyChart(chart, "no operation completed with ok or fail");
    }
    boolean log = maxLatency / minLatency > 50;
    chart.getStyler().setYAxisLogarithmic(log);
    double top = log ? maxLatency * 1.5 : maxLatency * 1.08;
    double bottom = log ? minLatency / 1.5 : 0;
    chart.getStyler().setYAxisMin(bottom);
    chart.getStyler().setYAxisMax(top);
    addFaultBands(chart, top);
    List<double[]> okShown = everyNth(ok, MAX_SCATTER_POINTS - Math.min(fail.size(), MAX_SCATTER_POINTS / 2));
    List<double[]> failShown = everyNth(fail, MAX_SCATTER_POINTS / 2);
    if (okShown.size() < ok.size() || failShown.size() < fail.size()) {
      chart.setTitle(chart.getTitle() + " (" + (okShown.size() + failShown.size()) + " of " + (ok.size() + fail.size())
          + " shown, evenly sampled; percentiles use all)");
    }
    addPoints(chart, "ok (" + ok.size() + ")", okShown, OK);
    addPoints(chart, "fail (" + fail.size() + ")", failShown, FAIL);
    addPercentile(chart, "p50 ok", perBin, 0.50, new Color(0x1f, 0x77, 0xb4));
    addPercentile(chart, "p99 ok", perBin, 0.99, new Color(0x00, 0x00, 0x00));
    return chart;
  }

  /** Completions per second in each bin, one line per outcome. */
  byte[] throughputPng() throws IOException {
    return BitmapEncoder.getBitmapBytes(throughputChart(), BitmapEncoder.BitmapFormat.PNG);
  }

  XYChart throughputChart() {
    XYChart chart = baseChart(
        "Throughput (completions per second, " + formatSeconds(binSeconds) + " bins)", "operations / s");
    int bins = (int) Math.ceil(durationSeconds / binSeconds) + 1;
    double[] ok = new double[bins];
    double[] fail = new double[bins];
    double[] info = new double[bins];
    for (Operation op : run.history().operations()) {
      long done = op.completeNanos() == Long.MAX_VALUE ? -1 : op.completeNanos();
      if (done < 0) {
        continue;
      }
      int bin = Math.min(bins - 1, (int) (run.seconds(done) / binSeconds));
      switch (op.outcome()) {
        case OK -> ok[bin] += 1 / binSeconds;
        case FAIL -> fail[bin] += 1 / binSeconds;
        case INFO -> info[bin] += 1 / binSeconds;
      }
    }
    double top = 0;
    for (int i = 0; i < bins; i++) {
      top = Math.max(top, Math.max(ok[i], Math.max(fail[i], info[i])));
    }
    if (top == 0) {
      return emptyChart(chart, "no operation completed");
    }
    top *= 1.08;
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(top);
    addFaultBands(chart, top);
    double[] x = new double[bins];
    for (int i = 0; i < bins; i++) {
      x[i] = (i + 0.5) * binSeconds;
    }
    addLine(chart, "ok", x, ok, OK);
    addLine(chart, "fail", x, fail, FAIL);
    addLine(chart, "info", x, info, INFO);
    return chart;
  }

  private XYChart baseChart(String title, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("seconds since the first event").yAxisTitle(yTitle).build();
    Styler.ChartTheme theme = Styler.ChartTheme.XChart;
    chart.getStyler().setTheme(theme.newInstance(theme));
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(durationSeconds);
    chart.getStyler().setAntiAlias(true);
    return chart;
  }

  private XYChart emptyChart(XYChart chart, String why) {
    chart.setTitle(chart.getTitle() + ": " + why);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    addFaultBands(chart, 1.0);
    XYSeries s = chart.addSeries("none", new double[] {0, durationSeconds}, new double[] {0, 0});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(Color.LIGHT_GRAY);
    return chart;
  }

  /** Faults as translucent full-height areas; one legend entry per fault kind. */
  private void addFaultBands(XYChart chart, double top) {
    Set<String> named = new HashSet<>();
    int n = 0;
    for (FaultInterval f : run.faults()) {
      double start = run.seconds(f.startNanos());
      double end = run.seconds(f.endNanos());
      if (end <= start) {
        end = start + durationSeconds / 1000; // an instant fault still shows as a thin band
      }
      boolean first = named.add(f.fault());
      String name = first ? "fault: " + f.fault() : "fault " + (n++) + " " + f.label();
      XYSeries band = chart.addSeries(name, new double[] {start, end}, new double[] {top, top});
      Color c = palette.color(f.fault());
      Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), 50);
      band.setXYSeriesRenderStyle(XYSeriesRenderStyle.Area);
      band.setFillColor(fill);
      band.setLineColor(c); // also the legend's swatch
      band.setLineWidth(1f);
      band.setMarker(SeriesMarkers.NONE);
      band.setShowInLegend(first);
    }
  }

  /** Every k-th element, k chosen so that at most {@code max} remain (in time order). */
  static List<double[]> everyNth(List<double[]> points, int max) {
    if (points.size() <= max) {
      return points;
    }
    int stride = (points.size() + max - 1) / max;
    List<double[]> out = new ArrayList<>(max);
    for (int i = 0; i < points.size(); i += stride) {
      out.add(points.get(i));
    }
    return out;
  }

  private static void addPoints(XYChart chart, String name, List<double[]> points, Color color) {
    if (points.isEmpty()) {
      return;
    }
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i)[0];
      y[i] = points.get(i)[1];
    }
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), points.size() > 5000 ? 90 : 170));
  }

  private void addPercentile(XYChart chart, String name, List<List<Double>> perBin, double q, Color color) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < perBin.size(); i++) {
      List<Double> values = perBin.get(i);
      if (values.size() < 5) {
        continue; // too few samples for a percentile to mean anything
      }
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(sorted);
      xs.add((i + 0.5) * binSeconds);
      ys.add(sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)]);
    }
    if (xs.size() < 2) {
      return;
    }
    XYSeries s = chart.addSeries(name, xs.stream().mapToDouble(Double::doubleValue).toArray(),
        ys.stream().mapToDouble(Double::doubleValue).toArray());
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineWidth(1.5f);
  }

  private static void addLine(XYChart chart, String name, double[] x, double[] y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineWidth(1.8f);
    s.setLineStyle(new BasicStroke(1.8f));
  }

  static String formatSeconds(double s) {
    if (s >= 1) {
      return trim(s) + " s";
    }
    if (s >= 1e-3) {
      return trim(s * 1e3) + " ms";
    }
    return trim(s * 1e6) + " µs";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
