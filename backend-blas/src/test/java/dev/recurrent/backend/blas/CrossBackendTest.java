package dev.recurrent.backend.blas;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every kernel on random inputs, {@code openblas} against {@code java}. The kernels that run backend-cpu's
 * loops over off-heap memory must agree bit for bit (same code, same rounding); the BLAS ones (matmul,
 * axpy) within F32/F64 rounding.
 */
class CrossBackendTest {
    private static final Backend JAVA = Backends.get("java");
    private static final Backend BLAS = new OpenBlasBackend(1);

    private static double[] run(Backend be, DType dtype, List<double[]> inputs, KernelCall call) {
        List<Storage> in = new ArrayList<>();
        for (double[] x : inputs) in.add(be.fromArray(dtype, x));
        Storage out = call.apply(be, in);
        assertEquals(dtype, out.dtype(), "dtype of the result");
        double[] r = be.toDoubleArray(out);
        out.release();
        for (Storage s : in) s.release();
        return r;
    }

    interface KernelCall {
        Storage apply(Backend be, List<Storage> in);
    }

    private static void sameBits(String what, DType dtype, List<double[]> inputs, KernelCall call) {
        double[] want = run(JAVA, dtype, inputs, call), got = run(BLAS, dtype, inputs, call);
        assertArrayEquals(want, got, 0.0, what + " " + dtype);
    }

    private static void close(String what, DType dtype, List<double[]> inputs, KernelCall call, double scale) {
        double[] want = run(JAVA, dtype, inputs, call), got = run(BLAS, dtype, inputs, call);
        assertEquals(want.length, got.length, what);
        double eps = (dtype == DType.F32 ? 1e-5 : 1e-13) * scale;
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(got[i] - want[i]) <= eps * (1 + Math.abs(want[i])))) {
                fail(what + " " + dtype + ": element " + i + " is " + got[i] + " on openblas, " + want[i] + " on java");
            }
        }
    }

    private static double[] values(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            // Mostly gaussian, sometimes a value that exercises the edge cases (zeros, ties, negatives).
            int pick = r.nextInt(10);
            x[i] = pick == 0 ? 0 : pick == 1 ? Math.rint(r.nextGaussian()) : r.nextGaussian() * 2;
        }
        return x;
    }

    private static Shape randomShape(Random r, int maxRank) {
        int rank = 1 + r.nextInt(maxRank);
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) d[i] = 1 + r.nextInt(4);
        return Shape.of(d);
    }

    /** A shape that broadcasts to {@code out}: some dimensions set to 1, some leading ones dropped. */
    private static Shape broadcastable(Random r, Shape out) {
        int drop = r.nextInt(out.rank() + 1);
        int[] d = new int[out.rank() - drop];
        for (int i = 0; i < d.length; i++) d[i] = r.nextInt(3) == 0 ? 1 : out.dim(drop + i);
        return Shape.of(d);
    }

    private static DType dtype(boolean f64) { return f64 ? DType.F64 : DType.F32; }

    @Property(tries = 60, seed = "11")
    void elementwiseKernelsAgree(@ForAll boolean f64, @ForAll long seed) {
        Random r = new Random(seed);
        DType dt = dtype(f64);
        Shape out = randomShape(r, 4);
        Shape as = r.nextBoolean() ? out : broadcastable(r, out), bs = broadcastable(r, out), cs = broadcastable(r, out);
        double[] a = values(r, as.size()), b = values(r, bs.size()), c = values(r, cs.size()), full = values(r, out.size());
        double[] positive = full.clone();
        for (int i = 0; i < positive.length; i++) positive[i] = Math.abs(positive[i]) + 0.1;
        for (UnaryOp op : UnaryOp.values()) {
            double[] x = op == UnaryOp.LOG || op == UnaryOp.SQRT ? positive : full;
            sameBits("unary " + op, dt, List.of(x), (be, in) -> be.unary(op, in.get(0)));
        }
        double s = r.nextBoolean() ? 0.5 : Math.rint(r.nextGaussian());
        for (ScalarOp op : ScalarOp.values()) {
            double[] x = op == ScalarOp.POW ? positive : full;
            sameBits("scalar " + op + " " + s, dt, List.of(x), (be, in) -> be.scalar(op, in.get(0), s));
        }
        for (BinaryOp op : BinaryOp.values()) {
            sameBits("binary " + op + " " + as + " " + bs, dt, List.of(a, b), (be, in) -> be.binary(op, in.get(0), as, in.get(1), bs, out));
            sameBits("binary " + op + " " + bs + " " + as, dt, List.of(b, a), (be, in) -> be.binary(op, in.get(0), bs, in.get(1), as, out));
        }
        sameBits("where " + cs + " " + as + " " + bs, dt, List.of(c, a, b),
                (be, in) -> be.where(in.get(0), cs, in.get(1), as, in.get(2), bs, out));
    }

    @Property(tries = 60, seed = "12")
    void layoutAndReductionKernelsAgree(@ForAll boolean f64, @ForAll long seed) {
        Random r = new Random(seed);
        DType dt = dtype(f64);
        int outer = r.nextInt(4), n = r.nextInt(5), inner = 1 + r.nextInt(4);
        double[] x = values(r, outer * n * inner);
        for (ReduceOp op : ReduceOp.values()) {
            if (n == 0 && op != ReduceOp.SUM) continue;
            sameBits("reduce " + op, dt, List.of(x), (be, in) -> be.reduce(op, in.get(0), outer, n, inner));
        }
        int start = n == 0 ? 0 : r.nextInt(n), len = r.nextInt(n - start + 1);
        sameBits("slice", dt, List.of(x), (be, in) -> be.slice(in.get(0), outer, n, inner, start, len));

        int[] sizes = new int[1 + r.nextInt(3)];
        List<double[]> parts = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = r.nextInt(4);
            parts.add(values(r, outer * sizes[i] * inner));
        }
        sameBits("concat", dt, parts, (be, in) -> be.concat(in, outer, sizes, inner));

        Shape shape = randomShape(r, 4);
        int[] perm = permutation(r, shape.rank());
        sameBits("permute " + shape, dt, List.of(values(r, shape.size())), (be, in) -> be.permute(in.get(0), shape, perm));

        int rows = 1 + r.nextInt(5), cols = r.nextInt(4);
        int[] ids = new int[r.nextInt(7)];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(rows);  // repeats included: scatter must add
        sameBits("gatherRows", dt, List.of(values(r, rows * cols)), (be, in) -> be.gatherRows(in.get(0), rows, cols, ids));
        sameBits("scatterAddRows", dt, List.of(values(r, ids.length * cols)), (be, in) -> be.scatterAddRows(in.get(0), cols, ids, rows));
    }

    @Property(tries = 40, seed = "13")
    void memoryKernelsAgree(@ForAll boolean f64, @ForAll @IntRange(max = 40) int n, @ForAll long seed) {
        Random r = new Random(seed);
        DType dt = dtype(f64), other = dtype(!f64);
        double[] x = values(r, n), y = values(r, n);
        double v = r.nextGaussian();
        sameBits("full", dt, List.of(), (be, in) -> be.full(dt, n, v));
        sameBits("cast", dt, List.of(x), (be, in) -> be.cast(be.cast(in.get(0), other), dt));
        sameBits("copyInto", dt, List.of(x, y), (be, in) -> {
            be.copyInto(in.get(1), in.get(0));
            return be.cast(in.get(1), dt);
        });
        float[] xf = new float[n];
        for (int i = 0; i < n; i++) xf[i] = (float) x[i];
        assertArrayEquals(JAVA.toFloatArray(JAVA.fromArray(dt, xf)), BLAS.toFloatArray(BLAS.fromArray(dt, xf)));
        assertArrayEquals(JAVA.toFloatArray(JAVA.fromArray(dt, x)), BLAS.toFloatArray(BLAS.fromArray(dt, x)));
        double alpha = r.nextGaussian();
        close("axpy", dt, List.of(x, y), (be, in) -> {
            be.axpy(alpha, in.get(0), in.get(1));
            return be.cast(in.get(1), dt);
        }, 1);
    }

    @Property(tries = 60, seed = "14")
    void matmulAgrees(@ForAll boolean f64, @ForAll boolean ta, @ForAll boolean tb, @ForAll boolean broadcastA,
                      @ForAll boolean broadcastB, @ForAll @IntRange(min = 1, max = 3) int batch,
                      @ForAll @IntRange(max = 24) int m, @ForAll @IntRange(max = 24) int n,
                      @ForAll @IntRange(max = 40) int k, @ForAll long seed) {
        Random r = new Random(seed);
        long as = broadcastA ? 0 : (long) m * k, bs = broadcastB ? 0 : (long) k * n;
        double[] a = values(r, (int) (as * (batch - 1)) + m * k), b = values(r, (int) (bs * (batch - 1)) + k * n);
        close("matmul", dtype(f64), List.of(a, b),
                (be, in) -> be.matmul(in.get(0), ta, as, in.get(1), tb, bs, batch, m, n, k), 4 * (k + 1));
    }

    private static int[] permutation(Random r, int rank) {
        int[] p = new int[rank];
        for (int i = 0; i < rank; i++) p[i] = i;
        for (int i = rank - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
