package dev.recurrent.models.train;

/**
 * A learning-rate schedule: the factor by which the optimizer's base learning rate is multiplied at
 * update {@code t} ({@code t = 0} for the first update), as PyTorch's {@code LambdaLR} does. A schedule is
 * a pure function of {@code t}, so resuming needs only the optimizer's update count.
 * <pre>
 *   constant              f(t) = 1
 *   step(s, gamma)        f(t) = gamma^floor(t / s)                                   (StepLR)
 *   cosine(T, m)          f(t) = m + (1 - m) (1 + cos(pi min(t, T) / T)) / 2           (CosineAnnealingLR,
 *                                  held at m after T instead of rising again)
 *   warmup(w, then)       f(t) = then(0) (t + 1) / w    for t &lt; w  (linear ramp, never 0)
 *                         f(t) = then(t - w)            for t &gt;= w
 * </pre>
 * {@link #toString()} writes the spec {@link #parse} reads back: {@code constant}, {@code step(100,0.5)},
 * {@code cosine(1000,0)}, {@code warmup(50,cosine(950,0.1))}.
 */
public interface Schedule {
    /** The factor at update {@code t >= 0}. */
    double factor(long t);

    /** The learning rate at update {@code t}: {@code base * factor(t)}. */
    default double rate(double base, long t) { return base * factor(t); }

    /** Always 1. */
    static Schedule constant() { return new Constant(); }

    /** Multiplied by {@code gamma} every {@code every} updates. */
    static Schedule step(long every, double gamma) { return new Step(every, gamma); }

    /** Half a cosine from 1 down to {@code minFactor} over {@code total} updates, then flat. */
    static Schedule cosine(long total, double minFactor) { return new Cosine(total, minFactor); }

    /** A linear ramp over {@code steps} updates up to where {@code then} starts, then {@code then} (shifted by {@code steps}). */
    static Schedule warmup(long steps, Schedule then) { return new Warmup(steps, then); }

    /** Parses a spec written by {@link #toString()}; a bad spec fails naming what was expected. */
    static Schedule parse(String spec) { return Schedules.parse(spec); }

    /** {@code f(t) = 1}. */
    record Constant() implements Schedule {
        @Override public double factor(long t) { return 1; }

        @Override public String toString() { return "constant"; }
    }

    /** {@code f(t) = gamma^floor(t / every)}. */
    record Step(long every, double gamma) implements Schedule {
        public Step {
            if (every <= 0) throw new IllegalArgumentException("step schedule: the interval must be positive; got " + every);
            if (!(gamma > 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("step schedule: gamma must be finite and > 0; got " + gamma);
        }

        @Override public double factor(long t) { return Math.pow(gamma, Math.floorDiv(Math.max(0, t), every)); }

        @Override public String toString() { return "step(" + every + "," + gamma + ")"; }
    }

    /** {@code f(t) = m + (1 - m)(1 + cos(pi min(t, T) / T)) / 2}. */
    record Cosine(long total, double minFactor) implements Schedule {
        public Cosine {
            if (total <= 0) throw new IllegalArgumentException("cosine schedule: the length must be positive; got " + total);
            if (!(minFactor >= 0 && minFactor <= 1)) throw new IllegalArgumentException("cosine schedule: the final factor must be in [0, 1]; got " + minFactor);
        }

        @Override
        public double factor(long t) {
            double x = (double) Math.min(Math.max(0, t), total) / total;
            return minFactor + (1 - minFactor) * (1 + StrictMath.cos(Math.PI * x)) / 2;
        }

        @Override public String toString() { return "cosine(" + total + "," + minFactor + ")"; }
    }

    /** Linear warm-up for {@code steps} updates, then {@code then}. */
    record Warmup(long steps, Schedule then) implements Schedule {
        public Warmup {
            if (steps <= 0) throw new IllegalArgumentException("warmup schedule: the warm-up length must be positive; got " + steps);
            if (then == null) throw new IllegalArgumentException("warmup schedule: needs the schedule that follows it (constant for none)");
        }

        @Override
        public double factor(long t) {
            if (t < steps) return then.factor(0) * (Math.max(0, t) + 1) / steps;
            return then.factor(t - steps);
        }

        @Override public String toString() { return "warmup(" + steps + "," + then + ")"; }
    }
}
