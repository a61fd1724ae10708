package dev.recurrent.models.cli;

import dev.recurrent.models.train.JsonFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The loss curve of a run as a PNG (XChart, drawn off screen): the loss of every step, faint, and its
 * centred moving average over about a fiftieth of the run, bold. The y axis is logarithmic when the loss spans more
 * than a factor of 30 (regression tasks falling from 0.5 to 0.001), linear otherwise.
 */
final class LossPlot {
    static final String FILE = "loss.png";

    static {
        System.setProperty("java.awt.headless", "true");   // no display needed (CI, ssh): draw into an image
    }

    private LossPlot() { }

    /** Writes the plot of {@code points} (step, loss) to {@code file}, atomically. */
    static void write(Path file, String title, List<double[]> points) throws IOException {
        JsonFiles.writeAtomically(file, BitmapEncoder.getBitmapBytes(chart(title, points), BitmapEncoder.BitmapFormat.PNG));
    }

    static XYChart chart(String title, List<double[]> points) {
        int n = points.size();
        double[] x = new double[Math.max(n, 1)], y = new double[Math.max(n, 1)];
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        int finite = 0;
        for (int i = 0; i < n; i++) {
            x[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
            if (Double.isFinite(y[i])) {
                lo = Math.min(lo, y[i]);
                hi = Math.max(hi, y[i]);
                finite++;
            } else {
                y[i] = Double.NaN;         // a diverged step: a gap in the curve
            }
        }
        if (n == 0) {                      // nothing trained yet: an empty frame rather than no file
            x[0] = 0;
            y[0] = Double.NaN;
        }
        XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle("step").yAxisTitle("loss").build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setAntiAlias(true);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setYAxisLogarithmic(finite > 1 && lo > 0 && hi / lo > 30);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        chart.getStyler().setXAxisTickMarkSpacingHint(100);
        chart.getStyler().setXAxisMin(0.0);
        // a hair past a round number: an axis ending exactly on the last step makes XChart put a tick at every few points
        if (n > 0) chart.getStyler().setXAxisMax(niceCeiling(x[n - 1]) * (1 + 1e-9));

        XYSeries raw = chart.addSeries("loss per step", x, y);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(120, 160, 220));
        raw.setLineStyle(new BasicStroke(1f));
        if (n >= 20) {
            XYSeries avg = chart.addSeries("moving average", x, movingAverage(y, Math.max(1, n / 100)));
            avg.setMarker(SeriesMarkers.NONE);
            avg.setLineColor(new Color(200, 60, 30));
            avg.setLineStyle(new BasicStroke(2.5f));
        }
        return chart;
    }

    /** {@code v} rounded up to a multiple of half its power of ten (350 stays, 351 -> 400, 1234 -> 1500): the x axis ends on a round number. */
    static double niceCeiling(double v) {
        if (v <= 1) return 1;
        double half = Math.pow(10, Math.floor(Math.log10(v))) / 2;
        return Math.ceil(v / half) * half;
    }

    /** The mean of the finite values within {@code r} points on either side of each point (fewer at the ends). */
    static double[] movingAverage(double[] y, int r) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double sum = 0;
            int count = 0;
            for (int j = Math.max(0, i - r); j <= Math.min(y.length - 1, i + r); j++) {
                if (Double.isFinite(y[j])) { sum += y[j]; count++; }
            }
            out[i] = count > 0 ? sum / count : Double.NaN;
        }
        return out;
    }
}
