package dev.recurrent.core;

import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Small random expression trees over the inputs x [N, D], y [N, D], b [1, D] and a matrix W [D, D],
 * (D at most 4) evaluated both as tensor ops and on {@link Reference}. Every node keeps values bounded and
 * is smooth (where() takes a constant mask, never a data-dependent one: generated inputs often tie, at 0
 * say), so any tree is gradient-checkable. The same seed gives the same tree.
 */
public final class Expressions {
    private Expressions() { }

    /** A tree: its text, its tensor evaluation and its reference evaluation (inputs x, y, b, W). */
    public record Expr(String text, Function<List<Tensor>, Tensor> tensor, Function<List<RefArray>, RefArray> ref) {
        @Override public String toString() { return text; }
    }

    public static Expr random(long seed, int maxDepth) { return random(new Random(seed), maxDepth); }

    private static Expr random(Random r, int depth) {
        if (depth == 0 || r.nextInt(10) < 2) {
            int i = r.nextInt(3);
            return new Expr("xyb".substring(i, i + 1), t -> t.get(i), a -> a.get(i));
        }
        if (r.nextBoolean()) return unary(r, random(r, depth - 1));
        return binary(r, random(r, depth - 1), random(r, depth - 1));
    }

    private static Expr unary(Random r, Expr e) {
        Function<List<Tensor>, Tensor> t = e.tensor();
        Function<List<RefArray>, RefArray> f = e.ref();
        switch (r.nextInt(12)) {
            case 0: return new Expr("tanh(" + e + ")", in -> t.apply(in).tanh(), in -> f.apply(in).map(Math::tanh));
            case 1: return new Expr("sigmoid(" + e + ")", in -> t.apply(in).sigmoid(), in -> f.apply(in).map(Reference::sigmoid));
            case 2: return new Expr("-(" + e + ")", in -> t.apply(in).neg(), in -> f.apply(in).map(v -> -v));
            case 3: {
                double c = Math.rint((0.5 + r.nextDouble()) * 100) / 100;
                return new Expr(c + "*(" + e + ")", in -> t.apply(in).mul(c), in -> f.apply(in).map(v -> c * v));
            }
            case 4: return new Expr("exp(tanh(" + e + "))", in -> t.apply(in).tanh().exp(), in -> f.apply(in).map(v -> Math.exp(Math.tanh(v))));
            case 5: return new Expr("log((" + e + ")^2+1)", in -> t.apply(in).pow(2).add(1).log(),
                    in -> f.apply(in).map(v -> Math.log(Math.pow(v, 2) + 1)));
            case 6: return new Expr("sqrt((" + e + ")^2+0.5)", in -> { Tensor v = t.apply(in); return v.mul(v).add(0.5).sqrt(); },
                    in -> f.apply(in).map(v -> Math.sqrt(v * v + 0.5)));
            case 7: return new Expr("tanh(" + e + ")^3", in -> t.apply(in).tanh().pow(3), in -> f.apply(in).map(v -> Math.pow(Math.tanh(v), 3)));
            case 8: return new Expr("softmax(" + e + ")", in -> t.apply(in).softmax(-1),
                    in -> { RefArray v = f.apply(in); return Reference.softmax(v, v.rank() - 1); });
            case 9: return new Expr("logSoftmax(" + e + ")", in -> t.apply(in).logSoftmax(-1),
                    in -> { RefArray v = f.apply(in); return Reference.logSoftmax(v, v.rank() - 1); });
            case 10: return new Expr("center(" + e + ")", in -> { Tensor v = t.apply(in); return v.sub(v.mean(true, -1)); },
                    in -> { RefArray v = f.apply(in); return Reference.zip(v, Reference.mean(v, new int[] {v.rank() - 1}, true), (p, q) -> p - q); });
            default: {
                boolean tb = r.nextBoolean();
                return new Expr("(" + e + ")·W" + (tb ? "ᵀ" : ""), in -> Tensor.matmul(t.apply(in), false, in.get(3), tb),
                        in -> Reference.matmul(f.apply(in), false, in.get(3), tb));
            }
        }
    }

    private static Expr binary(Random r, Expr a, Expr b) {
        Function<List<Tensor>, Tensor> ta = a.tensor(), tb = b.tensor();
        Function<List<RefArray>, RefArray> fa = a.ref(), fb = b.ref();
        switch (r.nextInt(6)) {
            case 0: return new Expr("(" + a + " + " + b + ")", in -> ta.apply(in).add(tb.apply(in)), in -> Reference.zip(fa.apply(in), fb.apply(in), Double::sum));
            case 1: return new Expr("(" + a + " - " + b + ")", in -> ta.apply(in).sub(tb.apply(in)), in -> Reference.zip(fa.apply(in), fb.apply(in), (p, q) -> p - q));
            case 2: return new Expr("(" + a + " * " + b + ")", in -> ta.apply(in).mul(tb.apply(in)), in -> Reference.zip(fa.apply(in), fb.apply(in), (p, q) -> p * q));
            case 3: return new Expr("(" + a + " / ((" + b + ")^2+1))", in -> { Tensor q = tb.apply(in); return ta.apply(in).div(q.mul(q).add(1)); },
                    in -> Reference.zip(fa.apply(in), fb.apply(in), (p, q) -> p / (q * q + 1)));
            case 4: {
                // a constant mask (from a comparison of seeded values): where() without a data-dependent kink
                double[] m = new double[4];
                for (int i = 0; i < m.length; i++) m[i] = r.nextDouble() - 0.5;
                String text = "where(" + java.util.Arrays.toString(m).replace(" ", "") + ">0, " + a + ", " + b + ")";
                return new Expr(text, in -> {
                    Tensor p = ta.apply(in), q = tb.apply(in);
                    int d = in.get(0).dim(1);
                    Tensor mask = Tensor.of(p.backend(), p.dtype(), Shape.of(1, d), java.util.Arrays.copyOf(m, d)).gt(0.0);
                    return Tensor.where(mask, p, q);
                }, in -> {
                    int d = in.get(0).dim(1);
                    RefArray mask = RefArray.of(new int[] {1, d}, java.util.Arrays.copyOf(m, d)).map(v -> v > 0 ? 1 : 0);
                    return Reference.where(mask, fa.apply(in), fb.apply(in));
                });
            }
            default: return new Expr("sumRows(" + a + ") + " + b, in -> ta.apply(in).sum(true, 0).add(tb.apply(in)),
                    in -> { RefArray p = fa.apply(in); return Reference.zip(Reference.sum(p, new int[] {0}, true), fb.apply(in), Double::sum); });
        }
    }
}
