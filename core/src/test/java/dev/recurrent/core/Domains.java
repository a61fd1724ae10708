package dev.recurrent.core;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Maps generated values in [-1, 1] into the domain an op needs: positive for log and sqrt, away from the
 * kinks of abs, relu and clamp, away from 0 for divisors, distinct for max (so finite differences never
 * straddle a tie).
 */
public final class Domains {
    private Domains() { }

    /** [-1, 1] onto [lo, hi]. */
    public static RefArray between(RefArray x, double lo, double hi) {
        return x.map(u -> lo + (hi - lo) * (Math.max(-1, Math.min(1, u)) + 1) / 2);
    }

    /** |value| >= min, keeping the sign (0 becomes +min). */
    public static RefArray nonZero(RefArray x, double min) {
        return x.map(u -> u < 0 ? u - min : u + min);
    }

    /** Every value at least {@code gap} from each of {@code points} (pushed away on its own side). */
    public static RefArray awayFrom(RefArray x, double gap, double... points) {
        return x.map(u -> {
            for (double p : points) if (Math.abs(u - p) < gap) u = u >= p ? p + gap : p - gap;
            return u;
        });
    }

    /** The same ordering, but every value distinct and at least 0.05 from any other (ties broken by position). */
    public static RefArray distinct(RefArray x) {
        double[] v = x.values();
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> v[i]).thenComparingInt(i -> i));
        double[] out = new double[v.length];
        for (int r = 0; r < order.length; r++) out[order[r]] = -1 + 0.05 * r + 0.001 * Math.sin(r);
        return new RefArray(x.shape(), out);
    }

    /** Values rounded to multiples of 1/levels, so comparisons see many ties. */
    public static RefArray quantized(RefArray x, int levels) {
        return x.map(u -> Math.rint(u * levels) / levels);
    }
}
