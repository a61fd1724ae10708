package dev.recurrent.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;
import java.util.Random;

/**
 * The backend contract, reductions and losses: sum and mean (all, along axes, keepDims), max along an
 * axis, softmax, logSoftmax, crossEntropy (with ignored targets), mse, and seeded dropout. Forward against
 * {@link Reference} in F64 and F32; gradients via GradCheck in F64.
 */
public abstract class ReductionContract extends ContractBase {

    /** Reduction axes drawn from a seed: a random subset (given in random order, sometimes negative), and keepDims. */
    record Axes(int[] given, int[] sorted, boolean keepDims, boolean all) {
        static Axes of(int rank, long seed) {
            Random r = new Random(seed);
            boolean all = rank == 0 || r.nextInt(4) == 0;
            int[] chosen = all ? new int[0] : java.util.stream.IntStream.range(0, rank).filter(a -> r.nextBoolean()).toArray();
            if (!all && chosen.length == 0) chosen = new int[] {r.nextInt(rank)};
            int[] given = chosen.clone();
            for (int i = given.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1), t = given[i];
                given[i] = given[j];
                given[j] = t;
            }
            for (int i = 0; i < given.length; i++) if (r.nextBoolean()) given[i] -= rank;
            return new Axes(given, chosen, r.nextBoolean(), all);
        }

        @Override public String toString() { return (all ? "all" : Arrays.toString(given)) + (keepDims ? ", keepDims" : ""); }
    }

    @Property(tries = 40, seed = SEED)
    public void sum(@ForAll("arrays") RefArray x, @ForAll("seeds") long seed) {
        Axes a = Axes.of(x.rank(), seed);
        String name = "sum(" + a + ")";
        java.util.function.UnaryOperator<Tensor> op = t -> a.all() && !a.keepDims() ? t.sum()
                : a.given().length == 1 && !a.keepDims() ? t.sum(a.given()[0]) : t.sum(a.keepDims(), a.given());
        forward(name, t -> op.apply(t.get(0)), r -> Reference.sum(r.get(0), a.sorted(), a.keepDims()), x);
        gradient(name, t -> op.apply(t.get(0)), x);
    }

    @Property(tries = 40, seed = SEED)
    public void mean(@ForAll("arrays") RefArray x, @ForAll("seeds") long seed) {
        Axes a = Axes.of(x.rank(), seed);
        String name = "mean(" + a + ")";
        java.util.function.UnaryOperator<Tensor> op = t -> a.all() && !a.keepDims() ? t.mean()
                : a.given().length == 1 && !a.keepDims() ? t.mean(a.given()[0]) : t.mean(a.keepDims(), a.given());
        forward(name, t -> op.apply(t.get(0)), r -> Reference.mean(r.get(0), a.sorted(), a.keepDims()), x);
        gradient(name, t -> op.apply(t.get(0)), x);
    }

    /** Forward with many ties; gradient with distinct values (a tie is not differentiable). */
    @Property(tries = 40, seed = SEED)
    public void max(@ForAll("arraysWithAxes") RefArray x, @ForAll("seeds") long seed) {
        Random r = new Random(seed);
        int axis = r.nextInt(x.rank());
        boolean keep = r.nextBoolean();
        int given = r.nextBoolean() ? axis : axis - x.rank();
        String name = "max(axis " + given + (keep ? ", keepDims)" : ")");
        forward(name, t -> keep ? t.get(0).max(given, true) : t.get(0).max(given),
                in -> Reference.max(in.get(0), axis, keep), Domains.quantized(x, 2));
        gradient(name, t -> t.get(0).max(given, keep), Domains.distinct(x));
    }

    /** Reductions over long axes (hundreds of elements, inner strides up to 40), F64 and F32. */
    @Property(tries = 16, seed = SEED)
    public void reductionsLarge(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        int[] shape = {1 + r.nextInt(8), 1 + r.nextInt(400), 1 + r.nextInt(40)};
        RefArray x = Generators.uniform(r, shape).map(v -> 3 * v);
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            forward("sum(axis " + a + ") of large", t -> t.get(0).sum(a), in -> Reference.sum(in.get(0), new int[] {a}, false), 10, x);
            forward("mean(axis " + a + ") of large", t -> t.get(0).mean(true, a), in -> Reference.mean(in.get(0), new int[] {a}, true), x);
            forward("max(axis " + a + ") of large", t -> t.get(0).max(a), in -> Reference.max(in.get(0), a, false), x);
            forward("softmax(axis " + a + ") of large", t -> t.get(0).softmax(a), in -> Reference.softmax(in.get(0), a), x);
            forward("logSoftmax(axis " + a + ") of large", t -> t.get(0).logSoftmax(a), in -> Reference.logSoftmax(in.get(0), a), x);
        }
        forward("sum() of large", t -> t.get(0).sum(), in -> Reference.sum(in.get(0), new int[0], false), 100, x);
    }

    /** Ties share the gradient equally (as documented on Tensor.max). */
    @Example
    public void maxTiesShareTheGradient() {
        Tensor x = f64(RefArray.of(new int[] {2, 3}, 1, 3, 3, 5, 2, 5)).requiresGrad(true);
        x.max(1).sum().backward();
        Expect.close("max tie gradient", RefArray.of(new int[] {2, 3}, 0, 0.5, 0.5, 0.5, 0, 0.5), x.grad(), DType.F64);
    }

    /** A -inf logit (a masked-out class) must not poison the loss: -inf * 0 would be NaN. */
    @Example
    public void crossEntropyWithMinusInfinityLogits() {
        double inf = Double.NEGATIVE_INFINITY;
        Tensor logits = f64(RefArray.of(new int[] {3, 2}, 0, inf, 1, 2, 5, inf)).requiresGrad(true);
        Tensor loss = logits.crossEntropy(new int[] {0, 1, -1});
        double row1 = -(2 - Math.log(Math.exp(1) + Math.exp(2)));     // row 0 contributes -log(1) = 0
        Expect.close("cross-entropy with -inf logits", row1 / 2, loss.item(), 1e-12, 1e-12);
        loss.backward();
        double p1 = Math.exp(1) / (Math.exp(1) + Math.exp(2));     // softmax - onehot: [p1, p2 - 1] = [p1, -p1], halved by the mean
        Expect.close("its gradient", RefArray.of(new int[] {3, 2}, 0, 0, p1 / 2, -p1 / 2, 0, 0), logits.grad(), DType.F64);
    }

    /** Every target ignored: the loss is 0 and still backpropagates (zeros). */
    @Example
    public void crossEntropyWithEveryTargetIgnored() {
        Tensor logits = f64(RefArray.of(new int[] {2, 2}, 1, 2, 3, 4)).requiresGrad(true);
        Tensor loss = logits.crossEntropy(new int[] {-1, -1});
        Expect.close("loss", 0, loss.item(), 0, 0);
        loss.backward();
        Expect.close("gradient", RefArray.of(new int[] {2, 2}, 0, 0, 0, 0), logits.grad(), DType.F64);
    }

    /** Op classes used directly (as a user op would) accept negative axes like the Tensor methods do. */
    @Example
    public void opClassesAcceptNegativeAxes() {
        RefArray r = RefArray.of(new int[] {2, 3}, 1, -2, 3, 0.5, 4, -1);
        Tensor x = f64(r);
        Expect.bitwiseEqual("Softmax(-1)", x.softmax(1), Tensor.apply(new dev.recurrent.core.ops.Softmax(-1), x));
        Expect.bitwiseEqual("LogSoftmax(-1)", x.logSoftmax(1), Tensor.apply(new dev.recurrent.core.ops.LogSoftmax(-1), x));
        Expect.bitwiseEqual("Max(-1)", x.max(1), Tensor.apply(new dev.recurrent.core.ops.Max(-1, false), x));
        Expect.illegalArgument("Slice(-1, ..)", () -> Tensor.apply(new dev.recurrent.core.ops.Slice(-1, 0, 1), x), "slice", "[2, 3]");
    }

    @Property(tries = 40, seed = SEED)
    public void softmax(@ForAll("arraysWithAxes") RefArray x, @ForAll("seeds") long seed) { softmaxFamily(false, x, seed); }

    @Property(tries = 40, seed = SEED)
    public void logSoftmax(@ForAll("arraysWithAxes") RefArray x, @ForAll("seeds") long seed) { softmaxFamily(true, x, seed); }

    /** Normal range, and large logits (up to ±200) that overflow exp unless the max is subtracted. */
    private void softmaxFamily(boolean log, RefArray x, long seed) {
        int axis = new Random(seed).nextInt(x.rank()), given = seed % 2 == 0 ? axis : axis - x.rank();
        String name = (log ? "logSoftmax" : "softmax") + "(axis " + given + ")";
        java.util.function.UnaryOperator<Tensor> op = t -> log ? t.logSoftmax(given) : t.softmax(given);
        java.util.function.UnaryOperator<RefArray> ref = r -> log ? Reference.logSoftmax(r, axis) : Reference.softmax(r, axis);
        RefArray normal = Domains.between(x, -3, 3), large = x.map(v -> 200 * v);
        forward(name, t -> op.apply(t.get(0)), r -> ref.apply(r.get(0)), normal);
        forward(name + " large logits", t -> op.apply(t.get(0)), r -> ref.apply(r.get(0)), large);
        gradient(name, t -> op.apply(t.get(0)), normal);
    }

    /** Mean over the non-ignored rows (target &lt; 0 is ignored); every row ignored gives 0. */
    @Property(tries = 40, seed = SEED)
    public void crossEntropy(@ForAll("crossEntropyCases") RefArray[] c) {
        RefArray logits = Domains.between(c[0], -3, 3);
        int[] targets = Arrays.stream(c[1].values()).mapToInt(v -> (int) v).toArray();
        String name = "crossEntropy" + Arrays.toString(targets);
        forward(name, t -> t.get(0).crossEntropy(targets), r -> RefArray.scalar(Reference.crossEntropy(r.get(0), targets)), logits);
        gradient(name, t -> t.get(0).crossEntropy(targets), logits);
    }

    @Property(tries = 40, seed = SEED)
    public void mse(@ForAll("arrays") RefArray a, @ForAll("seeds") long seed) {
        Random r = new Random(seed);
        RefArray b = a.map(v -> 2 * r.nextDouble() - 1);
        forward("mse", t -> t.get(0).mse(t.get(1)), in -> RefArray.scalar(Reference.mse(in.get(0), in.get(1))), a, b);
        gradient("mse", t -> t.get(0).mse(t.get(1)), a, b);
    }

    // ---- dropout ----------------------------------------------------------------------------------

    /**
     * Same seed, bitwise same output; every element is 0 or x/(1-p); the gradient is the same mask
     * (GradCheck with a fresh generator of the same seed on every call).
     */
    @Property(tries = 30, seed = SEED)
    public void dropout(@ForAll("arrays") RefArray x, @ForAll("dropoutRates") double p, @ForAll("seeds") long seed) {
        for (DType d : DTYPES) {
            Tensor t = tensor(x, d);
            Tensor y1 = t.dropout(p, new Random(seed)), y2 = t.dropout(p, new Random(seed));
            Expect.bitwiseEqual("dropout(" + p + ") with one seed twice", y1, y2);
            double[] v = y1.toDoubleArray(), in = x.rounded(d).values();
            for (int i = 0; i < v.length; i++) {
                double kept = in[i] / (1 - p);
                Expect.isTrue(v[i] == 0 || Math.abs(v[i] - kept) <= Expect.atol(d) + Expect.rtol(d) * Math.abs(kept),
                        "dropout(" + p + ") " + d + ": element " + i + " is " + v[i] + ", expected 0 or " + kept);
            }
        }
        gradient("dropout(" + p + ", seed " + seed + ")", t -> t.get(0).dropout(p, new Random(seed)), x);
    }

    /** On 20,000 ones: the zero fraction is p and the mean stays 1 (inverted dropout), within 5 sigma; another seed, another mask. */
    @Example
    public void dropoutStatistics() {
        int n = 20_000;
        for (DType d : DTYPES) {
            for (double p : new double[] {0.1, 0.3, 0.5, 0.8}) {
                Tensor ones = Tensor.full(backend(), d, Shape.of(100, 200), 1.0);
                double[] v = ones.dropout(p, new Random(7)).toDoubleArray();
                int zeros = 0;
                double sum = 0;
                for (double e : v) {
                    if (e == 0) zeros++;
                    sum += e;
                }
                double frac = zeros / (double) n, mean = sum / n;
                Expect.isTrue(Math.abs(frac - p) < 5 * Math.sqrt(p * (1 - p) / n), "dropout(" + p + ") " + d + ": zero fraction " + frac);
                Expect.isTrue(Math.abs(mean - 1) < 5 * Math.sqrt(p / (1 - p) / n), "dropout(" + p + ") " + d + ": mean " + mean + ", expected 1");
                double[] other = ones.dropout(p, new Random(8)).toDoubleArray();
                Expect.isTrue(!Arrays.equals(v, other), "dropout(" + p + "): two seeds gave the same mask");
            }
        }
        Tensor x = Tensor.full(backend(), DType.F64, Shape.of(3), 2.0);
        Expect.isTrue(x.dropout(0, new Random(1)) == x, "dropout(0) must be the identity");
        Expect.illegalArgument("dropout(1)", () -> x.dropout(1, new Random(1)), "dropout");
        Expect.illegalArgument("dropout(-0.1)", () -> x.dropout(-0.1, new Random(1)), "dropout");
    }

    // ---- arbitraries ------------------------------------------------------------------------------

    @Provide
    public Arbitrary<Double> dropoutRates() { return Arbitraries.of(0.1, 0.25, 0.5, 0.8); }

    /** [logits [N, C], targets[N] in [-1, C) (as a RefArray)], N 1..5, C 1..5. */
    @Provide
    public Arbitrary<RefArray[]> crossEntropyCases() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 5);
        return Combinators.combine(dim, dim).flatAs((n, c) -> Combinators.combine(Generators.array(n, c),
                Arbitraries.integers().between(-1, c - 1).array(int[].class).ofSize(n)).as((l, t) ->
                new RefArray[] {l, new RefArray(new int[] {n}, Arrays.stream(t).asDoubleStream().toArray())}));
    }
}
