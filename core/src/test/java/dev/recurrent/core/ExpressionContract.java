package dev.recurrent.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The backend contract, whole-program part: seeded random expression trees (forward against
 * {@link Reference}, gradients via GradCheck), determinism (the same inputs twice give bitwise the same
 * outputs and gradients), and user errors (an IllegalArgumentException naming the op and both shapes,
 * never an ArrayIndexOutOfBoundsException from a kernel).
 */
public abstract class ExpressionContract extends ContractBase {

    @Property(tries = 60, seed = SEED)
    public void composedExpressions(@ForAll("expressionInputs") RefArray[] in, @ForAll("seeds") long seed) {
        Expressions.Expr e = Expressions.random(seed, 4);
        for (DType d : DTYPES) {
            List<RefArray> r = new ArrayList<>();
            List<Tensor> t = new ArrayList<>();
            for (RefArray a : in) {
                r.add(a.rounded(d));
                t.add(tensor(a, d));
            }
            double rtol = d == DType.F64 ? 1e-9 : 1e-3, atol = d == DType.F64 ? 1e-10 : 1e-4;
            Tensor out = e.tensor().apply(t);
            Expect.isTrue(out.dtype() == d, e + ": dtype " + out.dtype() + ", expected " + d);
            Expect.close(e + " " + d, e.ref().apply(r), RefArray.of(out), rtol, atol);
        }
        gradient(e.text(), e.tensor(), in);
    }

    /**
     * The same inputs twice give bitwise the same outputs and gradients, in F64 and F32: a random tree,
     * and operand sizes large enough for a backend to block or split its loops.
     */
    @Property(tries = 10, seed = SEED)
    public void deterministic(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        Expressions.Expr e = Expressions.random(seed, 5);
        int n = 20 + r.nextInt(20), d = 30 + r.nextInt(40);
        RefArray[] in = {Generators.uniform(r, n, d), Generators.uniform(r, n, d), Generators.uniform(r, 1, d), Generators.uniform(r, d, d)};
        RefArray a = Generators.uniform(r, 3, 37, 70), b = Generators.uniform(r, 70, 45), big = Generators.uniform(r, 64, 129);
        int[] ids = r.ints(40, 0, 64).toArray(), targets = r.ints(64, -1, 129).toArray();
        for (DType dt : DTYPES) {
            List<Tensor> first = run(e, in, a, b, big, ids, targets, dt), second = run(e, in, a, b, big, ids, targets, dt);
            for (int i = 0; i < first.size(); i++) Expect.bitwiseEqual("run twice (" + dt + ", result " + i + ", " + e + ")", first.get(i), second.get(i));
        }
    }

    private List<Tensor> run(Expressions.Expr e, RefArray[] in, RefArray a, RefArray b, RefArray big, int[] ids, int[] targets, DType d) {
        List<Tensor> leaves = new ArrayList<>();
        for (RefArray x : in) leaves.add(tensor(x, d).requiresGrad(true));
        Tensor ta = tensor(a, d).requiresGrad(true), tb = tensor(b, d).requiresGrad(true), tg = tensor(big, d).requiresGrad(true);
        Tensor out = e.tensor().apply(leaves);
        Tensor prod = Tensor.matmul(ta, false, tb, false), prodT = Tensor.matmul(tb, true, ta, true);
        Tensor loss = out.sum().add(prod.tanh().sum()).add(prodT.mean()).add(tg.crossEntropy(targets))
                .add(tg.gatherRows(ids).softmax(1).max(1).sum()).add(tg.sum(true, 0).pow(2).mean());
        loss.backward();
        List<Tensor> result = new ArrayList<>(List.of(out, prod, prodT, loss));
        for (Tensor l : leaves) if (l.grad() != null) result.add(l.grad());
        result.add(ta.grad());
        result.add(tb.grad());
        result.add(tg.grad());
        return result;
    }

    // ---- errors -----------------------------------------------------------------------------------

    private Tensor t(int... dims) { return Tensor.full(backend(), DType.F64, Shape.of(dims), 0.5); }

    private Tensor t32(int... dims) { return Tensor.full(backend(), DType.F32, Shape.of(dims), 0.5); }

    @Example
    public void broadcastErrorsNameTheOpAndBothShapes() {
        Expect.illegalArgument("add", () -> t(2, 3).add(t(4, 3)), "add", "[2, 3]", "[4, 3]");
        Expect.illegalArgument("sub", () -> t(2, 3).sub(t(2, 4)), "sub", "[2, 3]", "[2, 4]");
        Expect.illegalArgument("mul", () -> t(5).mul(t(2, 3)), "mul", "[5]", "[2, 3]");
        Expect.illegalArgument("div", () -> t(3, 1, 2).div(t(4, 3)), "div", "[3, 1, 2]", "[4, 3]");
        Expect.illegalArgument("where", () -> Tensor.where(t(2, 3), t(3, 2), t(2, 3)), "where", "[2, 3]", "[3, 2]");
        Expect.illegalArgument("gt", () -> t(2, 3).gt(t(4, 3)), "gt", "[2, 3]", "[4, 3]");
        Expect.illegalArgument("expand", () -> t(2, 3).expand(Shape.of(4, 3)), "expand", "[2, 3]", "[4, 3]");
        Expect.illegalArgument("sumTo", () -> t(2, 3).sumTo(Shape.of(4, 3)), "sumTo", "[2, 3]", "[4, 3]");
        Expect.illegalArgument("mse", () -> t(2, 3).mse(t(3, 2)), "mse", "[2, 3]", "[3, 2]");
    }

    @Example
    public void matmulErrorsNameTheOpAndBothShapes() {
        Expect.illegalArgument("matmul inner", () -> t(2, 3).matmul(t(4, 5)), "matmul", "[2, 3]", "[4, 5]");
        Expect.illegalArgument("matmul inner, ta", () -> Tensor.matmul(t(2, 3), true, t(3, 5), false), "matmul", "[2, 3]", "[3, 5]");
        Expect.illegalArgument("matmul inner, tb", () -> Tensor.matmul(t(2, 3), false, t(3, 5), true), "matmul", "[2, 3]", "[3, 5]");
        Expect.illegalArgument("matmul batch", () -> t(2, 2, 3).matmul(t(3, 3, 4)), "matmul", "[2, 2, 3]", "[3, 3, 4]");
        Expect.illegalArgument("matmul rank 1", () -> t(3).matmul(t(3, 4)), "matmul", "[3]", "[3, 4]");
        Expect.illegalArgument("matmul rank 4", () -> t(1, 2, 2, 3).matmul(t(3, 4)), "matmul", "[1, 2, 2, 3]", "[3, 4]");
    }

    @Example
    public void linearErrorsNameTheOpAndEveryShape() {
        Expect.illegalArgument("linear k", () -> Tensor.linear(t(2, 3), t(4, 5), t(4)), "linear", "[2, 3]", "[4, 5]", "[4]");
        Expect.illegalArgument("linear n", () -> Tensor.linear(t(2, 3), t(4, 3), t(5)), "linear", "[2, 3]", "[4, 3]", "[5]");
        Expect.illegalArgument("linear rank", () -> Tensor.linear(t(1, 2, 3), t(4, 3), t(4)), "linear", "[1, 2, 3]");
    }

    /**
     * {@code linear(x, W, b)} is {@code x·Wᵀ + b} and its gradients those of the two ops, in both dtypes, for
     * shapes from one row or column to products past the OpenBLAS backend's split into bands (2·m·n·k of
     * 40-48 Mflop; split by columns, by rows, and by rows at an odd size, each band filling its own rows or
     * columns with b), with an empty inner dimension giving b in every row, and no rows at all.
     */
    @Example
    public void linearIsTheProductPlusTheBias() {
        java.util.Random r = new java.util.Random(41);
        for (DType d : DType.values()) {
            for (int[] s : new int[][] {{1, 3, 4}, {5, 1, 2}, {7, 6, 1}, {40, 33, 17}, {300, 200, 400}, {400, 200, 300}, {401, 150, 333}, {3, 0, 2}, {0, 3, 2}}) {
                int m = s[0], k = s[1], n = s[2];
                Tensor x = Tensor.randn(backend(), d, Shape.of(m, k), r).requiresGrad(true);
                Tensor w = Tensor.randn(backend(), d, Shape.of(n, k), r).requiresGrad(true);
                Tensor b = Tensor.randn(backend(), d, Shape.of(n), r).requiresGrad(true);
                Tensor g = Tensor.randn(backend(), d, Shape.of(m, n), r);
                Tensor fused = Tensor.linear(x, w, b), plain = Tensor.matmul(x, false, w, true).add(b);
                String what = "linear " + d + " m=" + m + " k=" + k + " n=" + n;
                double rtol = d == DType.F64 ? 1e-12 : 1e-5;
                Expect.close(what, RefArray.of(plain), RefArray.of(fused), rtol, rtol * Math.sqrt(k + 1));
                fused.mul(g).sum().backward();
                RefArray gx = RefArray.of(x.grad()), gw = RefArray.of(w.grad()), gb = RefArray.of(b.grad());
                x.zeroGrad();
                w.zeroGrad();
                b.zeroGrad();
                plain.mul(g).sum().backward();
                Expect.close(what + " dx", RefArray.of(x.grad()), gx, rtol, rtol * Math.sqrt(n + 1));
                Expect.close(what + " dW", RefArray.of(w.grad()), gw, rtol, rtol * Math.sqrt(m + 1));
                Expect.close(what + " db", RefArray.of(b.grad()), gb, rtol, rtol * Math.sqrt(m + 1));
            }
        }
    }

    @Example
    public void layoutErrorsAreIllegalArguments() {
        Expect.illegalArgument("concat", () -> Tensor.concat(0, t(2, 3), t(3, 4)), "concat", "[2, 3]", "[3, 4]");
        Expect.illegalArgument("concat rank", () -> Tensor.concat(0, t(2, 3), t(2, 3, 1)), "concat", "[2, 3]", "[2, 3, 1]");
        Expect.illegalArgument("stack", () -> Tensor.stack(0, t(2, 3), t(3, 2)), "stack", "[2, 3]", "[3, 2]");
        Expect.illegalArgument("reshape", () -> t(2, 3).reshape(4, 5), "reshape", "[2, 3]", "[4, 5]");
        Expect.illegalArgument("reshape two -1", () -> t(2, 3).reshape(-1, -1), "reshape");
        Expect.illegalArgument("reshape -1", () -> t(2, 3).reshape(-1, 4), "reshape", "[2, 3]");
        Expect.illegalArgument("slice", () -> t(2, 3).slice(1, 2, 4), "slice", "[2, 3]");
        Expect.illegalArgument("slice reversed", () -> t(2, 3).slice(1, 2, 1), "slice", "[2, 3]");
        Expect.illegalArgument("permute", () -> t(2, 3).permute(0, 0), "permute", "[2, 3]");
        Expect.illegalArgument("permute rank", () -> t(2, 3).permute(0), "permute", "[2, 3]");
        Expect.illegalArgument("transpose of rank 1", () -> t(3).transpose(), "transpose", "[3]");
        Expect.illegalArgument("sum repeated axis", () -> t(2, 3).sum(false, 1, -1), "sum", "[2, 3]");
        Expect.illegalArgument("chunk", () -> t(2, 3).chunk(0, 1), "chunk");
        Expect.illegalArgument("clamp", () -> t(2, 3).clamp(1, 0), "clamp");
        Expect.illegalArgument("of", () -> Tensor.of(backend(), DType.F64, Shape.of(2, 3), new double[5]), "[2, 3]");
    }

    /** An axis out of range is a user error like any other: it names the op, the axis and the shape. */
    @Example
    public void axisOutOfRangeErrorsNameTheOpAndTheShape() {
        List<String> problems = new ArrayList<>();
        axis(problems, "concat", () -> Tensor.concat(2, t(2, 3), t(2, 3)));
        axis(problems, "stack", () -> Tensor.stack(3, t(2, 3), t(2, 3)));
        axis(problems, "slice", () -> t(2, 3).slice(2, 0, 1));
        axis(problems, "chunk", () -> t(2, 3).chunk(2, -3));
        axis(problems, "unbind", () -> t(2, 3).unbind(2));
        axis(problems, "transpose", () -> t(2, 3).transpose(0, 2));
        axis(problems, "sum", () -> t(2, 3).sum(2));
        axis(problems, "mean", () -> t(2, 3).mean(-3));
        axis(problems, "max", () -> t(2, 3).max(-3));
        axis(problems, "softmax", () -> t(2, 3).softmax(2));
        axis(problems, "logSoftmax", () -> t(2, 3).logSoftmax(-3));
        Expect.isTrue(problems.isEmpty(), problems.size() + " axis error(s) do not say which op failed:\n  " + String.join("\n  ", problems));
    }

    private static void axis(List<String> problems, String op, Runnable r) {
        IllegalArgumentException e = Expect.illegalArgument(op + " with an axis out of range", r, "[2, 3]");
        if (!e.getMessage().startsWith(op)) problems.add(op + ": \"" + e.getMessage() + "\"");
    }

    @Example
    public void mixingF32AndF64IsAClearError() {
        Expect.illegalArgument("add", () -> t(2, 3).add(t32(2, 3)), "add", "F64", "F32");
        Expect.illegalArgument("mul", () -> t32(2, 3).mul(t(3)), "mul", "F64", "F32");
        Expect.illegalArgument("matmul", () -> t32(2, 3).matmul(t(3, 4)), "matmul", "F64", "F32");
        Expect.illegalArgument("concat", () -> Tensor.concat(0, t(2, 3), t32(2, 3)), "concat", "F64", "F32");
        Expect.illegalArgument("where", () -> Tensor.where(t32(2, 3), t(2, 3), t(2, 3)), "where", "F64", "F32");
        Expect.illegalArgument("mse", () -> t(2, 3).mse(t32(2, 3)), "F64", "F32");
        Expect.illegalArgument("gt", () -> t(2, 3).gt(t32(2, 3)), "gt", "F64", "F32");
    }

    @Example
    public void mixingBackendsIsAClearError() {
        MirrorBackend other = new MirrorBackend(backend());
        Tensor there = Tensor.full(other, DType.F64, Shape.of(2, 3), 1.0);
        Expect.illegalArgument("add", () -> t(2, 3).add(there), "add", backend().name(), other.name());
        Expect.illegalArgument("matmul", () -> t(3, 2).matmul(there), "matmul", backend().name(), other.name());
    }

    @Example
    public void rowAndTargetIdsOutOfRangeAreIllegalArguments() {
        Tensor table = t(5, 2);
        Expect.illegalArgument("gatherRows id = rows", () -> table.gatherRows(new int[] {0, 5}), "gatherRows", "5");
        Expect.illegalArgument("gatherRows negative id", () -> table.gatherRows(new int[] {-1}), "gatherRows", "-1");
        Expect.illegalArgument("gatherRows huge id", () -> table.gatherRows(new int[] {1, 2, Integer.MAX_VALUE}), "gatherRows");
        Expect.illegalArgument("gatherRows of a 3-D table", () -> t(2, 3, 4).gatherRows(new int[] {0}), "gatherRows", "[2, 3, 4]");
        Tensor logits = t(3, 4);
        Expect.illegalArgument("crossEntropy target = classes", () -> logits.crossEntropy(new int[] {0, 4, 1}), "crossEntropy", "4");
        Expect.illegalArgument("crossEntropy targets length", () -> logits.crossEntropy(new int[] {0, 1}), "crossEntropy", "[3, 4]");
        Expect.illegalArgument("crossEntropy rank", () -> t(3).crossEntropy(new int[] {0, 1, 2}), "crossEntropy", "[3]");
    }

    // ---- edge cases -------------------------------------------------------------------------------

    /**
     * Tensors with a 0-sized dimension: every op either gives the right shape (and values) or rejects the
     * call with an IllegalArgumentException, never another exception from a kernel.
     */
    @Example
    public void zeroSizedTensors() {
        List<String> problems = new ArrayList<>();
        Tensor e = t(0, 3), f = t(2, 3);
        empty(problems, "add", () -> e.add(e), Shape.of(0, 3), null);
        empty(problems, "add broadcast", () -> e.add(t(3)), Shape.of(0, 3), null);
        empty(problems, "mul scalar", () -> e.mul(2.0), Shape.of(0, 3), null);
        empty(problems, "exp", e::exp, Shape.of(0, 3), null);
        empty(problems, "where", () -> Tensor.where(e.gt(e), e, t(1, 3)), Shape.of(0, 3), null);
        empty(problems, "sum()", e::sum, Shape.scalar(), 0.0);
        empty(problems, "sum(0)", () -> e.sum(0), Shape.of(3), 0.0);
        empty(problems, "sum(1)", () -> e.sum(1), Shape.of(0), null);
        empty(problems, "max(1)", () -> e.max(1), Shape.of(0), null);
        empty(problems, "max(0), an empty reduction", () -> e.max(0), Shape.of(3), null);
        empty(problems, "softmax(1)", () -> e.softmax(1), Shape.of(0, 3), null);
        empty(problems, "logSoftmax(0)", () -> e.logSoftmax(0), Shape.of(0, 3), null);
        empty(problems, "permute", () -> e.permute(1, 0), Shape.of(3, 0), null);
        empty(problems, "reshape(-1, 3)", () -> e.reshape(-1, 3), Shape.of(0, 3), null);
        empty(problems, "concat with an empty part", () -> Tensor.concat(0, f, e), Shape.of(2, 3), 0.5);
        empty(problems, "slice(0, 1, 1)", () -> f.slice(0, 1, 1), Shape.of(0, 3), null);
        empty(problems, "matmul [2,0]·[0,3]", () -> t(2, 0).matmul(t(0, 3)), Shape.of(2, 3), 0.0);
        empty(problems, "matmul [0,3]·[3,4]", () -> e.matmul(t(3, 4)), Shape.of(0, 4), null);
        empty(problems, "matmul [2,3]ᵀ... with n=0", () -> Tensor.matmul(t(3, 2), true, t(0, 3), true), Shape.of(2, 0), null);
        empty(problems, "gatherRows(no ids)", () -> f.gatherRows(new int[0]), Shape.of(0, 3), null);
        empty(problems, "crossEntropy of no rows", () -> e.crossEntropy(new int[0]), Shape.scalar(), 0.0);
        empty(problems, "to(F32)", () -> e.to(DType.F32), Shape.of(0, 3), null);
        empty(problems, "dropout", () -> e.dropout(0.5, new Random(1)), Shape.of(0, 3), null);
        empty(problems, "backward through an empty sum", () -> {
            Tensor x = t(0, 3).requiresGrad(true);
            x.mul(2.0).sum().backward();
            return x.grad();
        }, Shape.of(0, 3), null);
        try {
            Expect.isTrue(e.chunk(2, 0).length == 0 && e.unbind(0).length == 0, "chunk/unbind of an empty axis give no parts");
        } catch (IllegalArgumentException ok) {
            // a rejection is fine
        } catch (Throwable t) {
            problems.add("chunk/unbind of an empty axis: " + t);
        }
        Expect.isTrue(problems.isEmpty(), problems.size() + " problem(s) with 0-sized tensors:\n  " + String.join("\n  ", problems));
    }

    private static void empty(List<String> problems, String what, java.util.function.Supplier<Tensor> op, Shape shape, Double value) {
        try {
            Tensor y = op.get();
            if (!y.shape().equals(shape)) {
                problems.add(what + ": shape " + y.shape() + ", expected " + shape);
            } else if (value != null) {
                for (double v : y.toDoubleArray()) {
                    if (v != value) {
                        problems.add(what + ": value " + v + ", expected " + value);
                        break;
                    }
                }
            }
        } catch (IllegalArgumentException rejected) {
            // a clear rejection is acceptable
        } catch (Throwable t) {
            problems.add(what + ": " + t);
        }
    }

    // ---- arbitraries ------------------------------------------------------------------------------

    /** x [N, D], y [N, D], b [1, D], W [D, D]; N, D in 1..4. */
    @Provide
    public Arbitrary<RefArray[]> expressionInputs() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 4);
        return Combinators.combine(dim, dim).flatAs((n, d) -> Combinators.combine(Generators.array(n, d), Generators.array(n, d),
                Generators.array(1, d), Generators.array(d, d)).as((x, y, b, w) -> new RefArray[] {x, y, b, w}));
    }
}
