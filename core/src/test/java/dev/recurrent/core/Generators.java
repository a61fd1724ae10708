package dev.recurrent.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * jqwik arbitraries for the contract kit: shapes (dimensions from 1, so every rank meets size-1 axes),
 * values in [-1, 1] (mapped into an op's domain with {@link Domains}), and operands whose shapes broadcast
 * together with NumPy rules (dropped leading axes and 1-dims on either side).
 */
public final class Generators {
    private Generators() { }

    public static Arbitrary<int[]> shapes(int minRank, int maxRank, int maxDim) {
        return Arbitraries.integers().between(1, maxDim).array(int[].class).ofMinSize(minRank).ofMaxSize(maxRank);
    }

    /** {@code n} values in [-1, 1]. */
    public static Arbitrary<double[]> values(int n) {
        return Arbitraries.doubles().between(-1, 1).ofScale(9).array(double[].class).ofSize(n);
    }

    public static Arbitrary<RefArray> arrays(Arbitrary<int[]> shapes) {
        return shapes.flatMap(s -> values(Reference.size(s)).map(v -> new RefArray(s, v)));
    }

    public static Arbitrary<RefArray> arrays(int minRank, int maxRank, int maxDim) { return arrays(shapes(minRank, maxRank, maxDim)); }

    public static Arbitrary<RefArray> array(int... shape) { return values(Reference.size(shape)).map(v -> new RefArray(shape, v)); }

    /**
     * {@code count} shapes that broadcast together: a full shape of rank 0..4, and each operand drops some
     * leading axes (often none) and turns some axes into 1s (each with probability 1/4).
     */
    public static Arbitrary<List<int[]>> broadcastShapes(int count) {
        Arbitrary<int[]> operand = Combinators.combine(
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(2, Arbitraries.integers().between(1, 4))),
                Arbitraries.integers().between(0, 3).array(int[].class).ofSize(4)).as((drop, ones) -> new int[] {drop,
                ones[0] == 0 ? 1 : 0, ones[1] == 0 ? 1 : 0, ones[2] == 0 ? 1 : 0, ones[3] == 0 ? 1 : 0});
        return shapes(0, 4, 4).flatMap(full -> operand.list().ofSize(count).map(ops -> {
            List<int[]> out = new ArrayList<>();
            for (int[] op : ops) {
                int drop = Math.min(op[0], full.length);
                int[] s = new int[full.length - drop];
                for (int i = 0; i < s.length; i++) s[i] = op[1 + i] == 1 ? 1 : full[drop + i];
                out.add(s);
            }
            return out;
        }));
    }

    /** {@code count} arrays whose shapes broadcast together. */
    public static Arbitrary<RefArray[]> broadcastArrays(int count) {
        return broadcastShapes(count).flatMap(shapes -> {
            int total = 0;
            for (int[] s : shapes) total += Reference.size(s);
            return values(total).map(v -> {
                RefArray[] out = new RefArray[shapes.size()];
                int at = 0;
                for (int i = 0; i < out.length; i++) {
                    int n = Reference.size(shapes.get(i));
                    out[i] = new RefArray(shapes.get(i), java.util.Arrays.copyOfRange(v, at, at + n));
                    at += n;
                }
                return out;
            });
        });
    }

    /** Standard normal values from {@code r} (for example-based tests). */
    public static RefArray normal(java.util.Random r, int... shape) {
        double[] v = new double[Reference.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
        return new RefArray(shape, v);
    }

    /** Uniform values in [-1, 1) from {@code r}. */
    public static RefArray uniform(java.util.Random r, int... shape) {
        double[] v = new double[Reference.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = 2 * r.nextDouble() - 1;
        return new RefArray(shape, v);
    }
}
