package dev.recurrent.models.cli;

import dev.recurrent.models.train.StepMetrics;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * How {@code rnn train} shows where it is: on a terminal, a bar redrawn in place (step, loss, steps/s, ETA);
 * anywhere else (a pipe, a CI log, a test) a plain line every twentieth of the run, which a log keeps
 * readable. Lines printed in between (samples, notes) go above the bar.
 */
abstract class Progress implements AutoCloseable {
    /** After step {@code m.step()} of the run. */
    abstract void update(StepMetrics m);

    /** A line of text (a sample, a note), kept apart from the bar. */
    abstract void println(String line);

    @Override public abstract void close();

    /** The bar, on {@code terminal}, for steps {@code done + 1 .. total}, {@code elapsed} seconds already spent before. */
    static Progress bar(PrintStream terminal, PrintWriter out, long done, long total, double elapsed) {
        return new Bar(terminal, out, done, total, elapsed);
    }

    /** Plain periodic lines on {@code out}. */
    static Progress lines(PrintWriter out, long done, long total) { return new Lines(out, done, total); }

    private static final class Bar extends Progress {
        private final PrintStream terminal;
        private final PrintWriter out;
        private final ProgressBar bar;

        Bar(PrintStream terminal, PrintWriter out, long done, long total, double elapsed) {
            this.terminal = terminal;
            this.out = out;
            this.bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total).startsFrom(done, Duration.ofMillis((long) (elapsed * 1000)))
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).showSpeed(new DecimalFormat("0.0")).setSpeedUnit(ChronoUnit.SECONDS)
                    .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(terminal)).build();
        }

        @Override void update(StepMetrics m) {
            bar.setExtraMessage(" loss " + loss(m.loss()));
            bar.stepTo(m.step());
        }

        @Override void println(String line) {
            out.flush();
            synchronized (terminal) {                   // the bar's own thread redraws through the same stream
                terminal.print("\r\033[K");              // carriage return, erase the line: the bar is redrawn below
                terminal.println(line);
                terminal.flush();
            }
            bar.refresh();
        }

        @Override public void close() { bar.close(); }
    }

    private static final class Lines extends Progress {
        private final PrintWriter out;
        private final long start, total, every;
        private final long t0 = System.nanoTime();

        Lines(PrintWriter out, long done, long total) {
            this.out = out;
            this.start = done;
            this.total = total;
            this.every = Math.max(1, (total - done + 19) / 20);
        }

        @Override void update(StepMetrics m) {
            long s = m.step(), run = s - start;
            if (run % every != 0 && s != total) return;
            double seconds = (System.nanoTime() - t0) / 1e9, rate = run / Math.max(seconds, 1e-9);
            out.printf(Locale.ROOT, "step %" + Long.toString(total).length() + "d/%d  loss %s  grad norm %.3g  %.1f steps/s  ETA %s%n",
                    s, total, loss(m.loss()), m.gradNorm(), rate, clock((total - s) / Math.max(rate, 1e-9)));
            out.flush();
        }

        @Override void println(String line) {
            out.println(line);
            out.flush();
        }

        @Override public void close() { out.flush(); }
    }

    /** A loss for people: four decimals, or three significant digits with an exponent when it is tiny or huge. */
    static String loss(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e4) || !Double.isFinite(v) ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clock(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
