package dev.recurrent.core;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The backend contract, layout and matrix part: matmul (2-D, batched 3-D, a batch of 1 or a 2-D operand
 * shared, all four transpose-flag combinations), transpose and permute, reshape, concat, stack, slice,
 * chunk, unbind and gatherRows. Forward against {@link Reference} in F64 and F32; gradients via GradCheck.
 */
public abstract class LayoutContract extends ContractBase {

    public record MatMulCase(RefArray a, boolean ta, RefArray b, boolean tb) {
        Tensor apply(Tensor x, Tensor y) { return !ta && !tb ? x.matmul(y) : Tensor.matmul(x, ta, y, tb); }
        @Override public String toString() { return "matmul(" + a + (ta ? "ᵀ" : "") + ", " + b + (tb ? "ᵀ" : "") + ")"; }
    }

    public record AxisCase(RefArray x, int i, int j) { }

    public record PartsCase(List<RefArray> parts, int axis) { }

    // ---- matmul -----------------------------------------------------------------------------------

    @Property(tries = 40, seed = SEED)
    public void matmul2d(@ForAll("matmul2dCases") MatMulCase c) { matmul(c); }

    /** 3-D x 3-D, a batch of 1 on either side, 3-D x 2-D and 2-D x 3-D, every flag combination. */
    @Property(tries = 50, seed = SEED)
    public void matmulBatched(@ForAll("matmulBatchedCases") MatMulCase c) { matmul(c); }

    /**
     * Products large enough for the backend's blocking and threading: inner and column sizes just below, at
     * and above 256 and 512, every flag and batch layout (forward only: the VJPs are products with flags).
     */
    @Property(tries = 16, seed = SEED)
    public void matmulLarge(@ForAll("matmulLargeCases") MatMulCase c) {
        String name = "matmul(ta=" + c.ta() + ", tb=" + c.tb() + ")";
        forward(name, t -> c.apply(t.get(0), t.get(1)), r -> Reference.matmul(r.get(0), c.ta(), r.get(1), c.tb()), 10, c.a(), c.b());
    }

    private void matmul(MatMulCase c) {
        String name = "matmul(ta=" + c.ta() + ", tb=" + c.tb() + ")";
        forward(name, t -> c.apply(t.get(0), t.get(1)), r -> Reference.matmul(r.get(0), c.ta(), r.get(1), c.tb()), c.a(), c.b());
        gradient(name, t -> c.apply(t.get(0), t.get(1)), c.a(), c.b());
    }

    // ---- transpose, permute, reshape ---------------------------------------------------------------

    @Property(tries = 40, seed = SEED)
    public void permute(@ForAll("permuteCases") PartsCase c) {
        RefArray x = c.parts().get(0);
        int[] perm = c.parts().get(1).values().length == 0 ? new int[0]
                : Arrays.stream(c.parts().get(1).values()).mapToInt(v -> (int) v).toArray();
        String name = "permute" + Arrays.toString(perm);
        forward(name, t -> t.get(0).permute(perm), r -> Reference.permute(r.get(0), perm), x);
        gradient(name, t -> t.get(0).permute(perm), x);
    }

    /** transpose() swaps the last two axes; transpose(a, b) any two (negative axes count from the end). */
    @Property(tries = 30, seed = SEED)
    public void transpose(@ForAll("axisCases") AxisCase c) {
        RefArray x = c.x();
        int r = x.rank(), a = c.i() % r, b = c.j() % r;
        int[] swap = IntStream.range(0, r).toArray();
        swap[a] = b;
        swap[b] = a;
        int na = a - r;
        forward("transpose(" + na + ", " + b + ")", t -> t.get(0).transpose(na, b), in -> Reference.permute(in.get(0), swap), x);
        gradient("transpose(" + na + ", " + b + ")", t -> t.get(0).transpose(na, b), x);
        if (r >= 2) {
            int[] last = IntStream.range(0, r).toArray();
            last[r - 1] = r - 2;
            last[r - 2] = r - 1;
            forward("transpose()", t -> t.get(0).transpose(), in -> Reference.permute(in.get(0), last), x);
            gradient("transpose()", t -> t.get(0).transpose(), x);
        }
    }

    @Property(tries = 40, seed = SEED)
    public void reshape(@ForAll("arrays") RefArray x, @ForAll("seeds") long seed) {
        Random r = new Random(seed);
        int[] dims = factorise(x.size(), r);
        int[] asked = dims.clone();
        if (dims.length > 0 && r.nextBoolean()) asked[r.nextInt(dims.length)] = -1;
        String name = "reshape" + Arrays.toString(asked);
        forward(name, t -> t.get(0).reshape(asked), in -> in.get(0).reshape(dims), x);
        gradient(name, t -> t.get(0).reshape(asked), x);
    }

    /** Permutations of larger arrays (up to rank 5, tens of thousands of elements), for tiled transposes. */
    @Property(tries = 16, seed = SEED)
    public void permuteLarge(@ForAll("seeds") long seed) {
        Random r = new Random(seed);
        int rank = 2 + r.nextInt(4);
        int[] shape = new int[rank];
        int budget = 40_000;
        for (int i = 0; i < rank; i++) {
            shape[i] = 1 + r.nextInt(Math.max(1, Math.min(rank == 2 ? 300 : 40, budget)));
            budget /= shape[i];
        }
        List<Integer> order = IntStream.range(0, rank).boxed().collect(Collectors.toList());
        java.util.Collections.shuffle(order, r);
        int[] perm = order.stream().mapToInt(Integer::intValue).toArray();
        RefArray x = Generators.uniform(r, shape);
        forward("permute" + Arrays.toString(perm), t -> t.get(0).permute(perm), in -> Reference.permute(in.get(0), perm), x);
    }

    /** A random shape of {@code n} elements, rank 0..4 (0 only for n == 1), with some 1s. */
    static int[] factorise(int n, Random r) {
        List<Integer> dims = new ArrayList<>();
        int rest = n, rank = r.nextInt(5);
        for (int i = 0; i < rank - 1; i++) {
            List<Integer> divisors = new ArrayList<>();
            for (int d = 1; d <= rest; d++) if (rest % d == 0) divisors.add(d);
            int d = divisors.get(r.nextInt(divisors.size()));
            dims.add(d);
            rest /= d;
        }
        if (rank > 0 || rest != 1) dims.add(rest);
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- concat, stack, slice, chunk, unbind --------------------------------------------------------

    @Property(tries = 40, seed = SEED)
    public void concat(@ForAll("concatCases") PartsCase c) {
        int axis = c.axis(), n = c.parts().size(), neg = axis - c.parts().get(0).rank();
        RefArray[] parts = c.parts().toArray(new RefArray[0]);
        forward("concat(axis " + axis + ")", t -> Tensor.concat(axis, t), r -> Reference.concat(axis, r), parts);
        forward("concat(axis " + neg + ")", t -> Tensor.concat(neg, t.toArray(new Tensor[0])), r -> Reference.concat(axis, r), parts);
        gradient("concat(axis " + axis + ", " + n + " parts)", t -> Tensor.concat(axis, t), parts);
    }

    @Property(tries = 40, seed = SEED)
    public void stack(@ForAll("stackCases") PartsCase c) {
        int axis = c.axis();
        RefArray[] parts = c.parts().toArray(new RefArray[0]);
        int given = axis % 2 == 1 ? axis - (parts[0].rank() + 1) : axis;     // sometimes negative
        forward("stack(axis " + given + ")", t -> Tensor.stack(given, t), r -> Reference.stack(axis, r), parts);
        gradient("stack(axis " + given + ")", t -> Tensor.stack(given, t.toArray(new Tensor[0])), parts);
    }

    @Property(tries = 40, seed = SEED)
    public void slice(@ForAll("axisCases") AxisCase c) {
        RefArray x = c.x();
        int axis = c.i() % x.rank(), d = x.dim(axis), start = c.j() % d, end = start + 1 + (c.j() / 7) % (d - start);
        int given = c.i() % 2 == 0 ? axis : axis - x.rank();
        String name = "slice(axis " + given + ", " + start + ", " + end + ")";
        forward(name, t -> t.get(0).slice(given, start, end), r -> Reference.slice(r.get(0), axis, start, end), x);
        gradient(name, t -> t.get(0).slice(given, start, end), x);
    }

    /** chunk(n, axis): ceil(d/n)-sized parts, the last one smaller, fewer parts when n > d (as PyTorch). */
    @Property(tries = 40, seed = SEED)
    public void chunk(@ForAll("axisCases") AxisCase c) {
        RefArray x = c.x();
        int axis = c.i() % x.rank(), d = x.dim(axis), n = 1 + c.j() % 6;
        int step = (d + n - 1) / n, parts = (d + step - 1) / step;
        for (DType dt : DTYPES) {
            Tensor[] got = tensor(x, dt).chunk(n, axis);
            Expect.isTrue(got.length == parts, "chunk(" + n + ", axis " + axis + ") of " + Arrays.toString(x.shape())
                    + ": expected " + parts + " parts, got " + got.length);
            for (int i = 0; i < parts; i++) {
                RefArray want = Reference.slice(x.rounded(dt), axis, i * step, Math.min(d, (i + 1) * step));
                Expect.close("chunk(" + n + ", axis " + axis + ") part " + i, want, got[i], dt);
            }
        }
        gradient("chunk(" + n + ", axis " + axis + ")", t -> weighted(t.get(0).chunk(n, axis), axis, false), x);
    }

    @Property(tries = 40, seed = SEED)
    public void unbind(@ForAll("axisCases") AxisCase c) {
        RefArray x = c.x();
        int axis = c.i() % x.rank();
        for (DType dt : DTYPES) {
            Tensor[] got = tensor(x, dt).unbind(axis);
            Expect.isTrue(got.length == x.dim(axis), "unbind(axis " + axis + "): expected " + x.dim(axis) + " parts, got " + got.length);
            for (int i = 0; i < got.length; i++) {
                RefArray s = Reference.slice(x.rounded(dt), axis, i, i + 1);
                int[] without = IntStream.range(0, x.rank()).filter(a -> a != axis).map(a -> x.shape()[a]).toArray();
                Expect.close("unbind(axis " + axis + ") part " + i, s.reshape(without), got[i], dt);
            }
        }
        gradient("unbind(axis " + axis + ")", t -> weighted(t.get(0).unbind(axis), axis, true), x);
    }

    /** Joins parts back after scaling part i by i+1, so a gradient routed to the wrong part is caught. */
    private static Tensor weighted(Tensor[] parts, int axis, boolean stack) {
        Tensor[] w = new Tensor[parts.length];
        for (int i = 0; i < w.length; i++) w[i] = parts[i].mul(i + 1.0);
        return stack ? Tensor.stack(axis, w) : Tensor.concat(axis, w);
    }

    /** Embedding lookup with repeated ids: the gradient of a repeated row accumulates. */
    @Property(tries = 40, seed = SEED)
    public void gatherRows(@ForAll("gatherCases") PartsCase c) {
        RefArray table = c.parts().get(0);
        int[] ids = Arrays.stream(c.parts().get(1).values()).mapToInt(v -> (int) v).toArray();
        String name = "gatherRows" + Arrays.toString(ids);
        forward(name, t -> t.get(0).gatherRows(ids), r -> Reference.gatherRows(r.get(0), ids), table);
        gradient(name, t -> t.get(0).gatherRows(ids), table);
    }

    // ---- arbitraries ------------------------------------------------------------------------------

    @Provide
    public Arbitrary<MatMulCase> matmul2dCases() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 5);
        Arbitrary<Boolean> flag = Arbitraries.of(false, true);
        return Combinators.combine(dim, dim, dim, flag, flag).flatAs((m, n, k, ta, tb) ->
                matmulCase(ta ? new int[] {k, m} : new int[] {m, k}, ta, tb ? new int[] {n, k} : new int[] {k, n}, tb));
    }

    @Provide
    public Arbitrary<MatMulCase> matmulBatchedCases() {
        Arbitrary<Integer> dim = Arbitraries.integers().between(1, 4), batch = Arbitraries.integers().between(2, 3);
        Arbitrary<Boolean> flag = Arbitraries.of(false, true);
        Arbitrary<String> kind = Arbitraries.of("BxB", "1xB", "Bx1", "Bx2D", "2DxB");
        return Combinators.combine(dim, dim, dim, flag, flag, batch, kind).flatAs((m, n, k, ta, tb, bsz, kd) -> {
            int[] a = ta ? new int[] {k, m} : new int[] {m, k}, b = tb ? new int[] {n, k} : new int[] {k, n};
            int ba = kd.startsWith("1") ? 1 : bsz, bb = kd.endsWith("x1") ? 1 : bsz;
            int[] a3 = kd.startsWith("2D") ? a : new int[] {ba, a[0], a[1]};
            int[] b3 = kd.endsWith("2D") ? b : new int[] {bb, b[0], b[1]};
            return matmulCase(a3, ta, b3, tb);
        });
    }

    @Provide
    public Arbitrary<MatMulCase> matmulLargeCases() {
        Arbitrary<Integer> m = Arbitraries.integers().between(1, 40), n = Arbitraries.of(1, 7, 255, 256, 257, 300, 511, 513, 600);
        Arbitrary<Integer> k = Arbitraries.of(1, 3, 5, 255, 256, 257, 300);
        Arbitrary<Boolean> flag = Arbitraries.of(false, true);
        Arbitrary<String> kind = Arbitraries.of("2Dx2D", "BxB", "1xB", "Bx2D", "2DxB");
        return Combinators.combine(m, n, k, flag, flag, kind, seeds()).as((mm, nn, kk, ta, tb, kd, seed) -> {
            Random r = new Random(seed);
            int[] a = ta ? new int[] {kk, mm} : new int[] {mm, kk}, b = tb ? new int[] {nn, kk} : new int[] {kk, nn};
            int[] a3 = kd.startsWith("2D") ? a : new int[] {kd.startsWith("1") ? 1 : 3, a[0], a[1]};
            int[] b3 = kd.endsWith("2D") ? b : new int[] {3, b[0], b[1]};
            return new MatMulCase(Generators.uniform(r, a3), ta, Generators.uniform(r, b3), tb);
        });
    }

    private static Arbitrary<MatMulCase> matmulCase(int[] a, boolean ta, int[] b, boolean tb) {
        return Combinators.combine(Generators.array(a), Generators.array(b)).as((x, y) -> new MatMulCase(x, ta, y, tb));
    }

    @Provide
    public Arbitrary<AxisCase> axisCases() {
        Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
        return Combinators.combine(arraysWithAxes(), pick, pick).as(AxisCase::new);
    }

    /** parts: the array, and the permutation (as a RefArray of axis numbers). */
    @Provide
    public Arbitrary<PartsCase> permuteCases() {
        return arrays().flatMap(x -> Arbitraries.shuffle(IntStream.range(0, x.rank()).boxed().collect(Collectors.toList()))
                .map(p -> new PartsCase(List.of(x, new RefArray(new int[] {p.size()}, p.stream().mapToDouble(i -> i).toArray())), 0)));
    }

    @Provide
    public Arbitrary<PartsCase> concatCases() {
        Arbitrary<int[]> base = Generators.shapes(1, 3, 3);
        Arbitrary<int[]> sizes = Arbitraries.integers().between(1, 3).array(int[].class).ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(base, sizes, Arbitraries.integers().between(0, 2)).flatAs((s, n, ax) -> {
            int axis = ax % s.length;
            List<Arbitrary<RefArray>> parts = new ArrayList<>();
            for (int size : n) {
                int[] p = s.clone();
                p[axis] = size;
                parts.add(Generators.array(p));
            }
            return Combinators.combine(parts).as(l -> new PartsCase(l, axis));
        });
    }

    @Provide
    public Arbitrary<PartsCase> stackCases() {
        return Combinators.combine(Generators.shapes(0, 3, 3), Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 3))
                .flatAs((s, n, ax) -> Generators.array(s).list().ofSize(n).map(l -> new PartsCase(l, ax % (s.length + 1))));
    }

    /** parts: the table [V, D], and the ids (as a RefArray), with repeats. */
    @Provide
    public Arbitrary<PartsCase> gatherCases() {
        Arbitrary<Integer> rows = Arbitraries.integers().between(1, 5), cols = Arbitraries.integers().between(1, 4);
        return Combinators.combine(rows, cols).flatAs((v, d) -> Combinators.combine(Generators.array(v, d),
                Arbitraries.integers().between(0, v - 1).array(int[].class).ofMinSize(1).ofMaxSize(6)).as((t, ids) ->
                new PartsCase(List.of(t, new RefArray(new int[] {ids.length}, Arrays.stream(ids).asDoubleStream().toArray())), 0)));
    }
}
