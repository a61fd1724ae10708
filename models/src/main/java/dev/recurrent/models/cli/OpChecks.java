package dev.recurrent.models.cli;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.check.GradCheck;
import dev.recurrent.core.ops.Recurrence;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Every op of {@link Tensor} as a small gradient check: a name, a function of the inputs, and input shapes
 * with value ranges that keep clear of kinks (abs, relu, clamp, max) and of domains' edges (log, sqrt, pow,
 * division). Inputs are seeded by the case's name, so a case checks the same numbers on every backend and
 * adding a case changes no other.
 */
final class OpChecks {
    private OpChecks() { }

    /** One input: its shape and where its values are drawn from. */
    record In(int[] dims, double lo, double hi, double... avoid) {
        Tensor make(Backend be, Random r) {
            double[] v = new double[Shape.of(dims).size()];
            for (int i = 0; i < v.length; i++) {
                double x;
                do x = lo + (hi - lo) * r.nextDouble(); while (near(x));
                v[i] = x;
            }
            return Tensor.of(be, DType.F64, Shape.of(dims), v);
        }

        private boolean near(double x) {
            for (double a : avoid) if (Math.abs(x - a) < 0.1) return true;
            return false;
        }
    }

    static In any(int... dims) { return new In(dims, -1.5, 1.5); }

    static In positive(int... dims) { return new In(dims, 0.5, 2.0); }

    /** Values at least 0.1 away from each of {@code points} (the kinks of the op). */
    static In awayFrom(double[] points, int... dims) { return new In(dims, -1.5, 1.5, points); }

    private static final double[] ZERO = {0};

    /** The table. */
    static List<GradientCheck> all() {
        List<GradientCheck> c = new ArrayList<>();
        // elementwise binary, with NumPy broadcasting
        c.add(op("add [2,3] + [3]", x -> x.get(0).add(x.get(1)), any(2, 3), any(3)));
        c.add(op("add [2,1,3] + [4,1]", x -> x.get(0).add(x.get(1)), any(2, 1, 3), any(4, 1)));
        c.add(op("sub [2,3] - [2,1]", x -> x.get(0).sub(x.get(1)), any(2, 3), any(2, 1)));
        c.add(op("mul [3,1] * [1,4]", x -> x.get(0).mul(x.get(1)), any(3, 1), any(1, 4)));
        c.add(op("div [2,3] / [3]", x -> x.get(0).div(x.get(1)), any(2, 3), positive(3)));
        c.add(op("scalar add, mul, rsub", x -> x.get(0).mul(2.5).add(-0.3).rsub(1.0), any(2, 3)));
        // elementwise unary
        c.add(op("neg", x -> x.get(0).neg(), any(2, 3)));
        c.add(op("exp", x -> x.get(0).exp(), any(2, 3)));
        c.add(op("log", x -> x.get(0).log(), positive(2, 3)));
        c.add(op("sqrt", x -> x.get(0).sqrt(), positive(2, 3)));
        c.add(op("pow 3", x -> x.get(0).pow(3), any(2, 3)));
        c.add(op("pow -1.5", x -> x.get(0).pow(-1.5), positive(2, 3)));
        c.add(op("abs", x -> x.get(0).abs(), awayFrom(ZERO, 2, 3)));
        c.add(op("tanh", x -> x.get(0).tanh(), any(2, 3)));
        c.add(op("sigmoid", x -> x.get(0).sigmoid(), any(2, 3)));
        c.add(op("relu", x -> x.get(0).relu(), awayFrom(ZERO, 2, 3)));
        c.add(op("clamp [-0.5, 0.5]", x -> x.get(0).clamp(-0.5, 0.5), awayFrom(new double[] {-0.5, 0.5}, 3, 4)));
        c.add(op("where (mask [2,3], broadcast [3])", x -> {
            Tensor mask = Tensor.of(x.get(0).backend(), DType.F64, Shape.of(2, 3), new double[] {1, -1, 1, -1, -1, 1}).gt(0.0);
            return Tensor.where(mask, x.get(0), x.get(1));
        }, any(2, 3), any(3)));
        // matrix products
        c.add(op("matmul [2,3]·[3,4]", x -> x.get(0).matmul(x.get(1)), any(2, 3), any(3, 4)));
        c.add(op("matmul aᵀ·b, [3,2]ᵀ·[3,4]", x -> Tensor.matmul(x.get(0), true, x.get(1), false), any(3, 2), any(3, 4)));
        c.add(op("matmul a·bᵀ, [2,3]·[4,3]ᵀ", x -> Tensor.matmul(x.get(0), false, x.get(1), true), any(2, 3), any(4, 3)));
        c.add(op("matmul aᵀ·bᵀ, [3,2]ᵀ·[4,3]ᵀ", x -> Tensor.matmul(x.get(0), true, x.get(1), true), any(3, 2), any(4, 3)));
        c.add(op("matmul batched [2,2,3]·[2,3,4]", x -> x.get(0).matmul(x.get(1)), any(2, 2, 3), any(2, 3, 4)));
        c.add(op("linear [3,4]·[2,4]ᵀ + [2]", x -> Tensor.linear(x.get(0), x.get(1), x.get(2)), any(3, 4), any(2, 4), any(2)));
        // layout
        c.add(op("transpose [2,3]", x -> x.get(0).transpose(), any(2, 3)));
        c.add(op("transpose(0,2) [2,3,4]", x -> x.get(0).transpose(0, 2), any(2, 3, 4)));
        c.add(op("permute(2,0,1) [2,3,4]", x -> x.get(0).permute(2, 0, 1), any(2, 3, 4)));
        c.add(op("reshape [2,3] -> [3,-1]", x -> x.get(0).reshape(3, -1), any(2, 3)));
        c.add(op("expand [1,3] -> [2,3]", x -> x.get(0).expand(Shape.of(2, 3)), any(1, 3)));
        // reductions
        c.add(op("sum", x -> x.get(0).sum(), any(2, 3)));
        c.add(op("sum axes 0,2 keep-dims", x -> x.get(0).sum(true, 0, 2), any(2, 3, 4)));
        c.add(op("mean", x -> x.get(0).mean(), any(2, 3)));
        c.add(op("mean axis 1", x -> x.get(0).mean(1), any(2, 3)));
        c.add(op("max axis 1", x -> x.get(0).max(1), any(3, 4)));
        c.add(op("max axis 0 keep-dims", x -> x.get(0).max(0, true), any(3, 4)));
        // joining and splitting
        c.add(op("concat axis 0", x -> Tensor.concat(0, x.get(0), x.get(1)), any(2, 3), any(1, 3)));
        c.add(op("concat axis 1", x -> Tensor.concat(1, x.get(0), x.get(1)), any(2, 3), any(2, 2)));
        c.add(op("stack axis 1", x -> Tensor.stack(1, x.get(0), x.get(1), x.get(2)), any(2, 3), any(2, 3), any(2, 3)));
        c.add(op("slice axis 0 [1,3)", x -> x.get(0).slice(0, 1, 3), any(4, 3)));
        c.add(op("chunk 3 along axis 1", x -> {
            Tensor[] p = x.get(0).chunk(3, 1);
            return Tensor.concat(1, p[2], p[0].mul(2), p[1].tanh());
        }, any(2, 6)));
        c.add(op("unbind axis 0", x -> {
            Tensor[] r = x.get(0).unbind(0);
            return Tensor.stack(0, r[2], r[0].mul(-3), r[1].exp());
        }, any(3, 2)));
        c.add(op("gatherRows [2,0,2,3]", x -> x.get(0).gatherRows(new int[] {2, 0, 2, 3}), any(4, 3)));
        // probabilities and losses
        c.add(op("softmax axis -1", x -> x.get(0).softmax(-1), any(2, 4)));
        c.add(op("logSoftmax axis 0", x -> x.get(0).logSoftmax(0), any(3, 4)));
        c.add(op("crossEntropy [3,5], targets 1,4,0", x -> x.get(0).crossEntropy(new int[] {1, 4, 0}), any(3, 5)));
        c.add(op("crossEntropy with an ignored row (-1)", x -> x.get(0).crossEntropy(new int[] {2, -1, 0}), any(3, 4)));
        c.add(op("mse", x -> x.get(0).mse(x.get(1)), any(2, 3), any(2, 3)));
        c.add(op("dropout p=0.4, seed 7", x -> x.get(0).dropout(0.4, new Random(7)), any(3, 4)));
        // recurrent sequences as one fused node (the backend's recurrence kernels)
        c.add(op("recurrence tanh T=3 B=2 H=3", x -> Recurrence.apply(CellKind.TANH, false, x.get(0), x.get(1), null, x.get(2)),
                any(3, 2, 3), any(3, 3), any(2, 3)));
        c.add(op("recurrence lstm reversed T=3 B=2 H=2", x -> Recurrence.apply(CellKind.LSTM, true, x.get(0), x.get(1), null, x.get(2), x.get(3)),
                any(3, 2, 8), any(8, 2), any(2, 2), any(2, 2)));
        c.add(op("recurrence gru T=3 B=2 H=2", x -> Recurrence.apply(CellKind.GRU, false, x.get(0), x.get(1), x.get(2), x.get(3)),
                any(3, 2, 6), any(6, 2), any(6), any(2, 2)));
        c.add(cast());
        return c;
    }

    /**
     * Cast, F64 to F32 and back (GradCheck returns the F32 output to F64): the gradient passes through
     * float32, so it is checked at float32 precision: eps 1e-3, rtol 1e-3, backward linear to 1e-6.
     */
    static GradientCheck cast() {
        String name = "cast F64 -> F32 and F32 -> F64";
        In x = any(2, 3);
        return new GradientCheck(name, be -> GradientCheck.Outcome.of(GradCheck.of(name, xs -> xs.get(0).to(DType.F32))
                .eps(1e-3).rtol(1e-3).atol(1e-4).linearity(1e-6).always(true).on(be, x.make(be, new Random(name.hashCode())))));
    }

    static GradientCheck op(String name, Function<List<Tensor>, Tensor> f, In... inputs) { return check(name, f, 1e-6, 1e-4, inputs); }

    static GradientCheck check(String name, Function<List<Tensor>, Tensor> f, double eps, double rtol, In... inputs) {
        return new GradientCheck(name, be -> {
            Random r = new Random(name.hashCode());
            Tensor[] xs = new Tensor[inputs.length];
            for (int i = 0; i < xs.length; i++) xs[i] = inputs[i].make(be, r);
            return GradientCheck.Outcome.of(GradCheck.of(name, f).eps(eps).rtol(rtol).always(true).on(be, xs));
        });
    }
}
