package dev.recurrent.core;

import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * The backend contract, elementwise part: add, sub, mul, div with NumPy broadcasting (1-dims and rank
 * differences on either side), the scalar forms, every unary op, clamp, where, the comparison masks,
 * dtype casts, expand and sumTo. Each op: forward against {@link Reference} in F64 and F32, gradients
 * through GradCheck in F64 with inputs kept away from non-differentiable points. Also the backend's
 * elementwise, reduction and memory kernels called directly, for the ones no op reaches (BinaryOp MAX and
 * MIN, ScalarOp RDIV, ReduceOp MIN, axpy).
 *
 * <p>The other parts of the contract are {@link LayoutContract}, {@link ReductionContract} and
 * {@link ExpressionContract}; a backend module subclasses each one (and {@link AutogradContract}).
 */
public abstract class BackendContract extends ContractBase {

    // ---- binary, broadcast ------------------------------------------------------------------------

    @Property(tries = 40, seed = SEED)
    public void add(@ForAll("broadcastPairs") RefArray[] p) { binary("add", Tensor::add, Double::sum, p[0], p[1]); }

    @Property(tries = 40, seed = SEED)
    public void sub(@ForAll("broadcastPairs") RefArray[] p) { binary("sub", Tensor::sub, (a, b) -> a - b, p[0], p[1]); }

    @Property(tries = 40, seed = SEED)
    public void mul(@ForAll("broadcastPairs") RefArray[] p) { binary("mul", Tensor::mul, (a, b) -> a * b, p[0], p[1]); }

    @Property(tries = 40, seed = SEED)
    public void div(@ForAll("broadcastPairs") RefArray[] p) {
        binary("div", Tensor::div, (a, b) -> a / b, p[0], Domains.nonZero(p[1], 0.3));
    }

    /** Rank 5 and 6 operands with 1s on both sides: the backend's dimension merging and strided walks. */
    @Property(tries = 20, seed = SEED)
    public void broadcastHighRank(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        int rank = 5 + r.nextInt(2);
        int[] full = new int[rank], a = new int[rank], b = new int[rank - r.nextInt(3)];
        for (int i = 0; i < rank; i++) full[i] = 1 + r.nextInt(4);
        for (int i = 0; i < rank; i++) a[i] = r.nextInt(3) == 0 ? 1 : full[i];
        for (int i = 0; i < b.length; i++) b[i] = r.nextInt(3) == 0 ? 1 : full[rank - b.length + i];
        RefArray x = Generators.uniform(r, a), y = Generators.uniform(r, b);
        binary("add", Tensor::add, Double::sum, x, y);
        binary("mul", Tensor::mul, (p, q) -> p * q, y, x);
        RefArray cond = Generators.uniform(r, b).map(v -> v > 0 ? 1 : 0);
        forward("where", t -> Tensor.where(t.get(0), t.get(1), t.get(2)), in -> Reference.where(in.get(0), in.get(1), in.get(2)), cond, x, y);
    }

    private void binary(String name, java.util.function.BinaryOperator<Tensor> op, DoubleBinaryOperator ref, RefArray a, RefArray b) {
        forward(name, t -> op.apply(t.get(0), t.get(1)), r -> Reference.zip(r.get(0), r.get(1), ref), a, b);
        gradient(name, t -> op.apply(t.get(0), t.get(1)), a, b);
    }

    @Property(tries = 30, seed = SEED)
    public void scalarArithmetic(@ForAll("arrays") RefArray x, @ForAll("scalars") double s) {
        double d = s < 0 ? s - 0.5 : s + 0.5;
        unary("add(" + s + ")", t -> t.add(s), v -> v + s, x);
        unary("sub(" + s + ")", t -> t.sub(s), v -> v - s, x);
        unary("mul(" + s + ")", t -> t.mul(s), v -> v * s, x);
        unary("div(" + d + ")", t -> t.div(d), v -> v / d, x);
        unary("rsub(" + s + ")", t -> t.rsub(s), v -> s - v, x);
    }

    // ---- unary ------------------------------------------------------------------------------------

    @Property(tries = 30, seed = SEED)
    public void neg(@ForAll("arrays") RefArray x) { unary("neg", Tensor::neg, v -> -v, x); }

    @Property(tries = 30, seed = SEED)
    public void exp(@ForAll("arrays") RefArray x) { unary("exp", Tensor::exp, Math::exp, Domains.between(x, -3, 3)); }

    @Property(tries = 30, seed = SEED)
    public void log(@ForAll("arrays") RefArray x) { unary("log", Tensor::log, Math::log, Domains.between(x, 0.2, 4)); }

    @Property(tries = 30, seed = SEED)
    public void sqrt(@ForAll("arrays") RefArray x) { unary("sqrt", Tensor::sqrt, Math::sqrt, Domains.between(x, 0.2, 4)); }

    /** Integer exponents on any sign; fractional and negative exponents on positive values. */
    @Property(tries = 40, seed = SEED)
    public void pow(@ForAll("arrays") RefArray x, @ForAll("exponents") double p) {
        RefArray in = p == Math.rint(p) && p >= 0 ? Domains.awayFrom(Domains.between(x, -2, 2), 0.1, 0) : Domains.between(x, 0.3, 2);
        unary("pow(" + p + ")", t -> t.pow(p), v -> Math.pow(v, p), in);
    }

    @Property(tries = 30, seed = SEED)
    public void abs(@ForAll("arrays") RefArray x) { unary("abs", Tensor::abs, Math::abs, Domains.awayFrom(x, 0.05, 0)); }

    @Property(tries = 30, seed = SEED)
    public void tanh(@ForAll("arrays") RefArray x) { unary("tanh", Tensor::tanh, Math::tanh, Domains.between(x, -3, 3)); }

    @Property(tries = 30, seed = SEED)
    public void sigmoid(@ForAll("arrays") RefArray x) {
        unary("sigmoid", Tensor::sigmoid, Reference::sigmoid, Domains.between(x, -4, 4));
    }

    @Property(tries = 30, seed = SEED)
    public void relu(@ForAll("arrays") RefArray x) { unary("relu", Tensor::relu, v -> Math.max(v, 0), Domains.awayFrom(x, 0.05, 0)); }

    @Property(tries = 30, seed = SEED)
    public void clamp(@ForAll("arrays") RefArray x, @ForAll("clampBounds") double[] lohi) {
        double lo = lohi[0], hi = lohi[1];
        RefArray in = Domains.awayFrom(Domains.between(x, -1.2, 1.2), 0.03, lo, hi);
        unary("clamp(" + lo + ", " + hi + ")", t -> t.clamp(lo, hi), v -> Math.min(Math.max(v, lo), hi), in);
    }

    /** Exponents 0 and 1 at x = 0: d/dx x⁰ = 0 and d/dx x¹ = 1 (finite, as in PyTorch), never NaN. */
    @Example
    public void powGradientAtZero() {
        for (double p : new double[] {0, 1, 2, 3}) {
            Tensor x = f64(RefArray.of(new int[] {3}, 0, 1, -2)).requiresGrad(true);
            x.pow(p).sum().backward();
            RefArray want = RefArray.of(new int[] {3}, 0, 1, -2).map(v -> p == 0 ? 0 : p * Math.pow(v, p - 1));
            Expect.close("d/dx x^" + p + " at 0, 1, -2", want, x.grad(), DType.F64);
        }
    }

    private void unary(String name, UnaryOperator<Tensor> op, DoubleUnaryOperator ref, RefArray x) {
        forward(name, t -> op.apply(t.get(0)), r -> r.get(0).map(ref), x);
        gradient(name, t -> op.apply(t.get(0)), x);
    }

    // ---- where, masks, kernels outside the graph ---------------------------------------------------

    /** where(cond, a, b) with all three broadcast; cond gets no gradient. */
    @Property(tries = 40, seed = SEED)
    public void where(@ForAll("broadcastTriples") RefArray[] p) {
        RefArray cond = p[0].map(v -> v > 0 ? 1 : 0);
        forward("where", t -> Tensor.where(t.get(0), t.get(1), t.get(2)), r -> Reference.where(r.get(0), r.get(1), r.get(2)),
                cond, p[1], p[2]);
        Tensor c = f64(cond);
        gradient("where", t -> Tensor.where(c, t.get(0), t.get(1)), p[1], p[2]);
    }

    /** gt, ge, lt, le, eq (broadcast) and the scalar forms give exact 0/1 masks in the input dtype, outside the graph. */
    @Property(tries = 40, seed = SEED)
    public void comparisonMasks(@ForAll("broadcastPairs") RefArray[] p, @ForAll("scalars") double s) {
        RefArray a = Domains.quantized(p[0], 2), b = Domains.quantized(p[1], 2);
        double q = Math.rint(s * 2) / 2;
        mask("gt", Tensor::gt, (x, y) -> x > y ? 1 : 0, a, b);
        mask("ge", Tensor::ge, (x, y) -> x >= y ? 1 : 0, a, b);
        mask("lt", Tensor::lt, (x, y) -> x < y ? 1 : 0, a, b);
        mask("le", Tensor::le, (x, y) -> x <= y ? 1 : 0, a, b);
        mask("eq", Tensor::eq, (x, y) -> x == y ? 1 : 0, a, b);
        RefArray qs = RefArray.scalar(q);
        mask("gt(" + q + ")", (x, y) -> x.gt(q), (x, y) -> x > y ? 1 : 0, a, qs);
        mask("lt(" + q + ")", (x, y) -> x.lt(q), (x, y) -> x < y ? 1 : 0, a, qs);
    }

    private void mask(String name, java.util.function.BinaryOperator<Tensor> op, DoubleBinaryOperator ref, RefArray a, RefArray b) {
        for (DType d : DTYPES) {
            Tensor x = tensor(a, d).requiresGrad(true), y = tensor(b, d).requiresGrad(true);
            Tensor m = op.apply(x, y);
            Expect.close(name + " of " + shapes(a, b), Reference.zip(a, b, ref), m, d);
            Expect.close(name + " exact", Reference.zip(a, b, ref), RefArray.of(m), 0, 0);
            Expect.isTrue(!m.requiresGrad(), name + ": a comparison mask must be outside the graph");
        }
    }

    /** The backend's unary kernels through Tensor.map, including SIGN and STEP at exactly 0. */
    @Property(tries = 30, seed = SEED)
    public void unaryKernels(@ForAll("arrays") RefArray x) {
        RefArray q = Domains.quantized(x, 2), pos = Domains.between(x, 0.2, 4);
        kernel(UnaryOp.NEG, v -> -v, x);
        kernel(UnaryOp.EXP, Math::exp, x);
        kernel(UnaryOp.LOG, Math::log, pos);
        kernel(UnaryOp.SQRT, Math::sqrt, pos);
        kernel(UnaryOp.ABS, Math::abs, q);
        kernel(UnaryOp.SIGN, Math::signum, q);
        kernel(UnaryOp.TANH, Math::tanh, x);
        kernel(UnaryOp.SIGMOID, Reference::sigmoid, x);
        kernel(UnaryOp.RELU, v -> Math.max(v, 0), q);
        kernel(UnaryOp.STEP, v -> v > 0 ? 1 : 0, q);
    }

    private void kernel(UnaryOp k, DoubleUnaryOperator ref, RefArray x) {
        forward("map(" + k + ")", t -> t.get(0).map(k), r -> r.get(0).map(ref), x);
    }

    // ---- dtype casts, expand, sumTo ---------------------------------------------------------------

    /** to(DType): F64 -> F32 rounds like (float), F32 -> F64 is exact, same dtype is a no-op; the gradient comes back in the input's dtype. */
    @Property(tries = 30, seed = SEED)
    public void cast(@ForAll("arrays") RefArray x) {
        Tensor x64 = f64(x), x32 = tensor(x, DType.F32);
        Expect.isTrue(x64.to(DType.F64) == x64 && x32.to(DType.F32) == x32, "cast: to(the same dtype) must return the tensor itself");
        Expect.close("cast F64->F32", x.f32(), x64.to(DType.F32), DType.F32);
        Expect.close("cast F64->F32 exact", x.f32(), RefArray.of(x64.to(DType.F32)), 0, 0);
        Expect.close("cast F32->F64 exact", x.f32(), RefArray.of(x32.to(DType.F64)), 0, 0);
        Expect.isTrue(x32.to(DType.F64).dtype() == DType.F64, "cast: F32 -> F64 must give F64");

        RefArray w = x.map(v -> 0.5 - 1.3 * v + v * v);
        Tensor leaf = f64(x).requiresGrad(true);
        leaf.to(DType.F32).mul(tensor(w, DType.F32)).sum().backward();
        Expect.close("cast gradient (F64 leaf through F32)", w.f32(), leaf.grad(), DType.F64);
        Tensor leaf32 = tensor(x, DType.F32).requiresGrad(true);
        leaf32.to(DType.F64).mul(f64(w)).sum().backward();
        Expect.close("cast gradient (F32 leaf through F64)", w.f32(), leaf32.grad(), DType.F32);
    }

    /** expand(target) broadcasts; sumTo(shape) sums broadcast axes away; each is the other's VJP. */
    @Property(tries = 40, seed = SEED)
    public void expandAndSumTo(@ForAll("broadcastPairs") RefArray[] p) {
        RefArray x = p[0];
        int[] target = Reference.broadcast(x.shape(), p[1].shape());
        Shape t = Shape.of(target), s = Shape.of(x.shape());
        forward("expand", in -> in.get(0).expand(t), r -> Reference.broadcastTo(r.get(0), target), x);
        gradient("expand", in -> in.get(0).expand(t), x);
        RefArray g = Reference.zip(x, p[1], (a, b) -> 0.7 * a + b);
        forward("sumTo", in -> in.get(0).sumTo(s), r -> Reference.sumTo(r.get(0), x.shape()), g);
        gradient("sumTo", in -> in.get(0).sumTo(s), g);
    }

    // ---- kernels the ops above do not all reach (models and optimizers call them) --------------------

    /** Every BinaryOp kernel with broadcasting, including MAX and MIN; comparisons exact. */
    @Property(tries = 30, seed = SEED)
    public void binaryKernels(@ForAll("broadcastPairs") RefArray[] p) {
        RefArray a = Domains.quantized(p[0], 4), b = Domains.nonZero(Domains.quantized(p[1], 4), 0.25);
        int[] out = Reference.broadcast(a.shape(), b.shape());
        for (BinaryOp op : BinaryOp.values()) {
            DoubleBinaryOperator ref = switch (op) {
                case ADD -> Double::sum;
                case SUB -> (x, y) -> x - y;
                case MUL -> (x, y) -> x * y;
                case DIV -> (x, y) -> x / y;
                case MAX -> Math::max;
                case MIN -> Math::min;
                case GT -> (x, y) -> x > y ? 1 : 0;
                case GE -> (x, y) -> x >= y ? 1 : 0;
                case LT -> (x, y) -> x < y ? 1 : 0;
                case LE -> (x, y) -> x <= y ? 1 : 0;
                case EQ -> (x, y) -> x == y ? 1 : 0;
            };
            forward("binary kernel " + op, t -> Tensor.wrap(backend().binary(op, t.get(0).storage(), t.get(0).shape(),
                    t.get(1).storage(), t.get(1).shape(), Shape.of(out)), Shape.of(out)), r -> Reference.zip(r.get(0), r.get(1), ref), a, b);
        }
    }

    /** Every ScalarOp kernel: ADD, MUL, POW, MAX, MIN, RSUB, RDIV and the comparisons. */
    @Property(tries = 30, seed = SEED)
    public void scalarKernels(@ForAll("arrays") RefArray x, @ForAll("scalars") double s) {
        RefArray q = Domains.quantized(x, 4), pos = Domains.between(x, 0.25, 2);
        double k = Math.rint(s * 4) / 4;
        for (ScalarOp op : ScalarOp.values()) {
            RefArray in = op == ScalarOp.POW || op == ScalarOp.RDIV ? pos : q;
            DoubleUnaryOperator ref = switch (op) {
                case ADD -> v -> v + k;
                case MUL -> v -> v * k;
                case POW -> v -> Math.pow(v, k);
                case MAX -> v -> Math.max(v, k);
                case MIN -> v -> Math.min(v, k);
                case RSUB -> v -> k - v;
                case RDIV -> v -> k / v;
                case GT -> v -> v > k ? 1 : 0;
                case GE -> v -> v >= k ? 1 : 0;
                case LT -> v -> v < k ? 1 : 0;
                case LE -> v -> v <= k ? 1 : 0;
            };
            forward("scalar kernel " + op + " " + k, t -> Tensor.wrap(backend().scalar(op, t.get(0).storage(), k), t.get(0).shape()),
                    r -> r.get(0).map(ref), in);
        }
    }

    /** SUM, MAX and MIN over the middle of [outer, n, inner]. */
    @Property(tries = 30, seed = SEED)
    public void reduceKernels(@ForAll("arraysWithAxes") RefArray x, @ForAll("seeds") long seed) {
        int axis = (int) Math.floorMod(seed, (long) x.rank());
        Shape s = Shape.of(x.shape());
        for (ReduceOp op : ReduceOp.values()) {
            java.util.function.UnaryOperator<RefArray> ref = switch (op) {
                case SUM -> r -> Reference.sum(r, new int[] {axis}, true);
                case MAX -> r -> Reference.max(r, axis, true);
                case MIN -> r -> Reference.max(r.map(v -> -v), axis, true).map(v -> -v);
            };
            forward("reduce kernel " + op + " axis " + axis, t -> Tensor.wrap(backend().reduce(op, t.get(0).storage(), s.outer(axis), s.dim(axis),
                    s.inner(axis)), s.with(axis, 1)), r -> ref.apply(r.get(0)), x);
        }
    }

    /** full, fromArray (double[] and float[]), toDoubleArray, toFloatArray, cast, copyInto and axpy (in place). */
    @Property(tries = 30, seed = SEED)
    public void memoryKernels(@ForAll("arrays") RefArray x, @ForAll("scalars") double alpha) {
        int n = x.size();
        float[] fx = new float[n];
        for (int i = 0; i < n; i++) fx[i] = (float) x.values()[i];
        for (DType d : DTYPES) {
            RefArray xd = x.rounded(d);
            Storage full = backend().full(d, n, alpha);
            Expect.close("full(" + alpha + ")", RefArray.full(x.shape(), alpha).rounded(d), RefArray.of(Tensor.wrap(full, Shape.of(x.shape()))), 0, 0);
            Storage a = backend().fromArray(d, x.values()), b = backend().fromArray(d, fx);
            Expect.isTrue(a.dtype() == d && a.size() == n && a.backend() == backend(), "fromArray: dtype, size or backend wrong");
            Expect.close("fromArray(double[]) " + d, xd, RefArray.of(x.shape(), backend().toDoubleArray(a)), 0, 0);
            Expect.close("fromArray(float[]) " + d, x.f32(), RefArray.of(x.shape(), backend().toDoubleArray(b)), 0, 0);
            float[] back = backend().toFloatArray(a);
            for (int i = 0; i < n; i++) Expect.isTrue(back[i] == fx[i], "toFloatArray " + d + " element " + i + ": " + back[i] + " vs " + fx[i]);
            for (DType to : DTYPES) {
                Storage c = backend().cast(a, to);
                Expect.isTrue(c.dtype() == to && c != a, "cast " + d + " -> " + to + " must give a new storage of " + to);
                Expect.close("cast " + d + " -> " + to, xd.rounded(to), RefArray.of(x.shape(), backend().toDoubleArray(c)), 0, 0);
            }
            Storage y = backend().full(d, n, 0.5);
            backend().axpy(alpha, a, y);
            Expect.close("axpy " + d, xd.map(v -> 0.5 + alpha * v), RefArray.of(x.shape(), backend().toDoubleArray(y)), Expect.rtol(d), Expect.atol(d));
            Expect.close("axpy leaves x alone " + d, xd, RefArray.of(x.shape(), backend().toDoubleArray(a)), 0, 0);
            backend().copyInto(y, b);
            Expect.close("copyInto " + d, x.f32(), RefArray.of(x.shape(), backend().toDoubleArray(y)), 0, 0);
            int head = (int) Math.round(Math.abs(alpha) * 3), tail = n % 3;
            double[] placed = backend().toDoubleArray(backend().placed(a, head + n + tail, head));
            Expect.isTrue(placed.length == head + n + tail, "placed: " + placed.length + " elements, expected " + (head + n + tail));
            for (int i = 0; i < placed.length; i++) {
                double want = i < head || i >= head + n ? 0 : xd.values()[i - head];
                Expect.isTrue(placed[i] == want, "placed " + d + " (window " + n + " at " + head + " of " + placed.length + ") element " + i + ": " + placed[i] + " vs " + want);
            }
            Storage z = backend().full(d, n + 2, 0.25);
            backend().addInto(z, 1, a);
            double[] added = backend().toDoubleArray(z);
            for (int i = 0; i < n + 2; i++) {
                double want = i == 0 || i == n + 1 ? 0.25 : 0.25 + xd.values()[i - 1];
                Expect.isTrue(Math.abs(added[i] - want) <= Expect.atol(d) + Expect.rtol(d) * Math.abs(want),
                        "addInto " + d + " (window " + n + " at 1) element " + i + ": " + added[i] + " vs " + want);
            }
        }
        for (int bad : new int[] {-1, 1}) {
            Storage a = backend().full(DType.F32, 4, 1);
            try {
                backend().placed(a, 4, bad);
                Expect.isTrue(false, "placed: a window of 4 at " + bad + " of 4 elements must be refused");
            } catch (IllegalArgumentException e) {
                Expect.isTrue(e.getMessage().contains("4 elements at offset " + bad), "placed's message names the window: " + e.getMessage());
            }
        }
    }

    /**
     * The memory kernels past the size where a backend may split them over threads (2^18 elements and more):
     * full (zeros and a value), a window placed into zeros, a slice of the leading axis, a copy (cast to the
     * same dtype) and copyInto, each element checked.
     * A storage of the same size is filled and released before each, so that a backend reusing its block shows
     * any element the kernel left unwritten.
     */
    @Example
    public void bigMemoryKernels() {
        int n = 300_001, size = 700_003, at = 123_457;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i % 1000 - 500.5;
        for (DType d : DTYPES) {
            Storage dirty = backend().full(d, size, 2.5);
            double[] twos = backend().toDoubleArray(dirty);
            dirty.release();
            double[] zeros = backend().toDoubleArray(backend().full(d, size, 0.0));
            backend().full(d, size, -1.0).release();
            for (int i = 0; i < size; i++) {
                Expect.isTrue(zeros[i] == 0 && twos[i] == 2.5, "full " + d + " element " + i + ": " + zeros[i] + ", " + twos[i]);
            }
            Storage x = backend().fromArray(d, v);
            double[] placed = backend().toDoubleArray(backend().placed(x, size, at));
            for (int i = 0; i < size; i++) {
                double want = i < at || i >= at + n ? 0 : v[i - at];
                Expect.isTrue(placed[i] == want, "placed " + d + " element " + i + ": " + placed[i] + " vs " + want);
            }
            Storage whole = backend().fromArray(d, placed);
            double[] sliced = backend().toDoubleArray(backend().slice(whole, 1, size, 1, at - 7, n + 9));
            for (int i = 0; i < n + 9; i++) {
                Expect.isTrue(sliced[i] == placed[at - 7 + i], "slice " + d + " element " + i + ": " + sliced[i] + " vs " + placed[at - 7 + i]);
            }
            backend().full(d, size, -1.0).release();
            double[] copied = backend().toDoubleArray(backend().cast(whole, d));
            Storage into = backend().full(d, size, -1.0);
            backend().copyInto(into, whole);
            double[] copiedInto = backend().toDoubleArray(into);
            for (int i = 0; i < size; i++) {
                Expect.isTrue(copied[i] == placed[i] && copiedInto[i] == placed[i],
                        "cast / copyInto " + d + " element " + i + ": " + copied[i] + ", " + copiedInto[i] + " vs " + placed[i]);
            }
        }
    }

    // ---- arbitraries ------------------------------------------------------------------------------

    @Provide
    public Arbitrary<Double> scalars() { return Arbitraries.doubles().between(-2, 2).ofScale(6); }

    @Provide
    public Arbitrary<Double> exponents() { return Arbitraries.of(0.0, 1.0, 2.0, 3.0, 0.5, 1.5, 2.5, -0.5, -1.0, -2.0); }

    @Provide
    public Arbitrary<double[]> clampBounds() {
        return Arbitraries.of(new double[] {-0.5, 0.5}, new double[] {-0.2, 0.7}, new double[] {0.1, 0.3},
                new double[] {-1.0, -0.3}, new double[] {0.0, 1.0}, new double[] {0.4, 0.4});
    }
}
