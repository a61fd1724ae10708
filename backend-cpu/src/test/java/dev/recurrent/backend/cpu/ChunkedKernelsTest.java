package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.UnaryOp;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bulk paths of {@link FloatKernels}/{@link DoubleKernels} (a buffer's own array, or chunks of
 * {@link FloatKernels#CHUNK} copied through scratch arrays) against a per-element reference, bit for bit,
 * on heap and direct buffers of both dtypes, at sizes the contract kit's small arrays never reach: just
 * under and over a chunk, rows longer than a chunk, many short rows per chunk, stride-0 operands (a
 * scalar, a row broadcast, an expand with both inputs constant along the row), in place, and views.
 */
class ChunkedKernelsTest {
    private static final int C = FloatKernels.CHUNK;
    private static final int[] LENGTHS = {1, 15, 16, 17, C - 1, C, C + 1, 2 * C + 37};

    /** A buffer of either dtype, heap or direct; element i read back as a double. */
    private record Buf(DType dtype, FloatBuffer f, DoubleBuffer d) {
        static Buf of(DType dtype, boolean direct, double[] x) { return of(dtype, direct, x, 0); }

        /** {@code x} behind {@code pad} leading elements, viewed from index 0 (a slice: arrayOffset != 0). */
        static Buf of(DType dtype, boolean direct, double[] x, int pad) {
            int n = x.length + pad;
            if (dtype == DType.F32) {
                FloatBuffer b = direct ? ByteBuffer.allocateDirect(4 * Math.max(n, 1)).order(ByteOrder.nativeOrder()).asFloatBuffer()
                        : FloatBuffer.wrap(new float[n]);
                b = b.slice(pad, x.length);
                for (int i = 0; i < x.length; i++) b.put(i, (float) x[i]);
                return new Buf(dtype, b, null);
            }
            DoubleBuffer b = direct ? ByteBuffer.allocateDirect(8 * Math.max(n, 1)).order(ByteOrder.nativeOrder()).asDoubleBuffer()
                    : DoubleBuffer.wrap(new double[n]);
            b = b.slice(pad, x.length);
            for (int i = 0; i < x.length; i++) b.put(i, x[i]);
            return new Buf(dtype, null, b);
        }

        double get(int i) { return f != null ? f.get(i) : d.get(i); }

        double[] values() {
            double[] r = new double[f != null ? f.limit() : d.limit()];
            for (int i = 0; i < r.length; i++) r[i] = get(i);
            return r;
        }
    }


    /** Random values of the dtype, with a sprinkling of 0, -0, ±inf and NaN. */
    private static double[] data(Random r, int n, DType dtype) {
        double[] x = new double[n];
        double[] special = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1.0};
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(16) == 0 ? special[r.nextInt(special.length)] : ElementwiseTest.round(3 * r.nextGaussian(), dtype);
        }
        return x;
    }

    private static void assertSame(String what, double[] expected, Buf actual) {
        double[] got = actual.values();
        assertEquals(expected.length, got.length, what + ": length");
        for (int i = 0; i < got.length; i++) {
            if (Double.doubleToLongBits(expected[i]) != Double.doubleToLongBits(got[i])) {
                fail(what + ": element " + i + " of " + got.length + ": expected " + expected[i] + ", got " + got[i]);
            }
        }
    }

    // ---- reference: one element at a time, in double, rounded once for F32 ----------------------------

    private static double binary(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MAX -> Math.max(x, y);
            case MIN -> Math.min(x, y);
            case GT -> x > y ? 1 : 0;
            case GE -> x >= y ? 1 : 0;
            case LT -> x < y ? 1 : 0;
            case LE -> x <= y ? 1 : 0;
            case EQ -> x == y ? 1 : 0;
        };
    }

    private static double unary(UnaryOp op, DType dtype, double x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Math.signum(x);
            case TANH -> dtype == DType.F32 ? FloatKernels.tanh(x) : Math.tanh(x);
            case SIGMOID -> DoubleKernels.sigmoid(x);
            case RELU -> x < 0 ? 0 : x;
            case STEP -> x > 0 ? 1 : 0;
        };
    }

    /** out[r, j] = a[r*ra + j*sa] op b[r*rb + j*sb] over rows x len. */
    private static double[] binaryRef(BinaryOp op, DType dtype, double[] a, int ra, int sa, double[] b, int rb, int sb, int rows, int len) {
        double[] out = new double[rows * len];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < len; j++) out[r * len + j] = ElementwiseTest.round(binary(op, a[r * ra + j * sa], b[r * rb + j * sb]), dtype);
        }
        return out;
    }

    private static void binary(BinaryOp op, Buf a, Shape as, Buf b, Shape bs, Buf out, Shape os) {
        if (a.dtype() == DType.F32) BufferKernels.binary(op, a.f(), as, b.f(), bs, out.f(), os);
        else BufferKernels.binary(op, a.d(), as, b.d(), bs, out.d(), os);
    }

    // ---- tests --------------------------------------------------------------------------------------

    @Test
    void binaryLayoutsMatchTheReference() {
        Random r = new Random(5);
        for (DType dtype : DType.values()) {
            for (boolean direct : new boolean[] {false, true}) {
                for (BinaryOp op : BinaryOp.values()) {
                    for (int n : LENGTHS) {
                        String at = op + " " + dtype + (direct ? " direct" : " heap") + " n=" + n;
                        double[] a = data(r, n, dtype), b = data(r, n, dtype), s = data(r, 1, dtype);
                        Shape sh = Shape.of(n);
                        Buf out = Buf.of(dtype, direct, new double[n], 3);
                        binary(op, Buf.of(dtype, direct, a, 1), sh, Buf.of(dtype, direct, b, 2), sh, out, sh);
                        assertSame(at + " equal shapes", binaryRef(op, dtype, a, 0, 1, b, 0, 1, 1, n), out);

                        binary(op, Buf.of(dtype, direct, a), sh, Buf.of(dtype, direct, s), Shape.scalar(), out, sh);
                        assertSame(at + " scalar b", binaryRef(op, dtype, a, 0, 1, s, 0, 0, 1, n), out);
                        binary(op, Buf.of(dtype, direct, s), Shape.of(1), Buf.of(dtype, direct, b), sh, out, sh);
                        assertSame(at + " scalar a", binaryRef(op, dtype, s, 0, 0, b, 0, 1, 1, n), out);

                        Buf inPlace = Buf.of(dtype, direct, a);
                        binary(op, inPlace, sh, Buf.of(dtype, direct, b), sh, inPlace, sh);
                        assertSame(at + " in place", binaryRef(op, dtype, a, 0, 1, b, 0, 1, 1, n), inPlace);

                        int rows = 3;                                  // [3, n] op [n], [n] op [3, n]
                        double[] m = data(r, rows * n, dtype);
                        Shape ms = Shape.of(rows, n);
                        Buf mOut = Buf.of(dtype, direct, new double[rows * n]);
                        binary(op, Buf.of(dtype, direct, m), ms, Buf.of(dtype, direct, b), sh, mOut, ms);
                        assertSame(at + " row broadcast b", binaryRef(op, dtype, m, n, 1, b, 0, 1, rows, n), mOut);
                        binary(op, Buf.of(dtype, direct, b), sh, Buf.of(dtype, direct, m), ms, mOut, ms);
                        assertSame(at + " row broadcast a", binaryRef(op, dtype, b, 0, 1, m, n, 1, rows, n), mOut);
                        // through the general walk: [3, 1] op [n] -> [3, n] (a constant along a row, b a row)
                        double[] col = data(r, rows, dtype);
                        binary(op, Buf.of(dtype, direct, col), Shape.of(rows, 1), Buf.of(dtype, direct, b), sh, mOut, ms);
                        assertSame(at + " column op row", binaryRef(op, dtype, col, 1, 0, b, 0, 1, rows, n), mOut);
                        // an expand: [3, 1] op scalar written to [3, n] (both constant along a row)
                        binary(op, Buf.of(dtype, direct, col), Shape.of(rows, 1), Buf.of(dtype, direct, s), Shape.scalar(), mOut, ms);
                        assertSame(at + " expand", binaryRef(op, dtype, col, 1, 0, s, 0, 0, rows, n), mOut);
                        // a scalar expanded (sum's gradient): [1, 1] op scalar written to [3, n], one value everywhere
                        double[] one = data(r, 1, dtype);
                        binary(op, Buf.of(dtype, direct, one), Shape.of(1, 1), Buf.of(dtype, direct, s), Shape.scalar(), mOut, ms);
                        assertSame(at + " scalar expand", binaryRef(op, dtype, one, 0, 0, s, 0, 0, rows, n), mOut);
                    }
                }
            }
        }
    }

    @Test
    void unaryScalarAndWhereMatchTheReference() {
        Random r = new Random(6);
        for (DType dtype : DType.values()) {
            for (boolean direct : new boolean[] {false, true}) {
                for (int n : LENGTHS) {
                    String at = dtype + (direct ? " direct" : " heap") + " n=" + n;
                    double[] x = data(r, n, dtype);
                    Buf in = Buf.of(dtype, direct, x, 1), out = Buf.of(dtype, direct, new double[n], 2);
                    for (UnaryOp op : UnaryOp.values()) {
                        if (dtype == DType.F32) BufferKernels.unary(op, in.f(), out.f(), n);
                        else BufferKernels.unary(op, in.d(), out.d(), n);
                        double[] e = new double[n];
                        for (int i = 0; i < n; i++) e[i] = ElementwiseTest.round(unary(op, dtype, x[i]), dtype);
                        assertSame(op + " " + at, e, out);
                    }
                    for (ScalarOp op : ScalarOp.values()) {
                        double s = op == ScalarOp.POW ? 2.5 : -0.7;
                        if (dtype == DType.F32) BufferKernels.scalar(op, in.f(), s, out.f(), n);
                        else BufferKernels.scalar(op, in.d(), s, out.d(), n);
                        double[] e = new double[n];
                        for (int i = 0; i < n; i++) e[i] = ElementwiseTest.round(ElementwiseTest.scalarRef(op, x[i], s), dtype);
                        assertSame(op + " " + at, e, out);
                    }
                    double[] cond = data(r, n, dtype), y = data(r, n, dtype), one = {cond[0]};
                    for (boolean scalarCond : new boolean[] {false, true}) {
                        double[] c = scalarCond ? one : cond;
                        Shape cs = scalarCond ? Shape.scalar() : Shape.of(n), sh = Shape.of(n);
                        Buf bc = Buf.of(dtype, direct, c), bx = Buf.of(dtype, direct, x), by = Buf.of(dtype, direct, y);
                        if (dtype == DType.F32) BufferKernels.where(bc.f(), cs, bx.f(), sh, by.f(), sh, out.f(), sh);
                        else BufferKernels.where(bc.d(), cs, bx.d(), sh, by.d(), sh, out.d(), sh);
                        double[] e = new double[n];
                        for (int i = 0; i < n; i++) e[i] = c[scalarCond ? 0 : i] != 0 ? x[i] : y[i];
                        assertSame("where " + at + (scalarCond ? " scalar cond" : ""), e, out);
                    }
                    double[] yy = data(r, n, dtype);
                    Buf acc = Buf.of(dtype, direct, yy, 1);
                    if (dtype == DType.F32) BufferKernels.axpy(-1.25, in.f(), acc.f(), n);
                    else BufferKernels.axpy(-1.25, in.d(), acc.d(), n);
                    double[] e = new double[n];
                    for (int i = 0; i < n; i++) e[i] = ElementwiseTest.round(yy[i] + -1.25 * x[i], dtype);
                    assertSame("axpy " + at, e, acc);
                }
            }
        }
    }

    @Test
    void reductionsMatchTheReference() {
        Random r = new Random(7);
        int[][] cases = {   // outer, n, inner
            {1, 3 * C + 5, 1}, {7, 5, 1}, {600, 3, 1}, {3, C, 1}, {2, 0, 1}, {1, 40, C}, {2, 5, C + 300},
            {3, 700, 7}, {2, 0, 3}, {0, 4, 3}, {4, 3, 0}, {5, 1, 20}, {3, 7, 300}, {2, 9, C / 4}, {1, 6, C / 4 + 1},
        };
        for (DType dtype : DType.values()) {
            for (boolean direct : new boolean[] {false, true}) {
                for (ReduceOp op : ReduceOp.values()) {
                    for (int[] c : cases) {
                        int outer = c[0], n = c[1], inner = c[2];
                        double[] x = data(r, outer * n * inner, dtype);
                        Buf in = Buf.of(dtype, direct, x, 1), out = Buf.of(dtype, direct, new double[outer * inner], 2);
                        if (dtype == DType.F32) BufferKernels.reduce(op, in.f(), outer, n, inner, out.f());
                        else BufferKernels.reduce(op, in.d(), outer, n, inner, out.d());
                        double[] e = new double[outer * inner];
                        for (int o = 0; o < outer; o++) {
                            for (int i = 0; i < inner; i++) {
                                if (op == ReduceOp.SUM && inner == 1) {
                                    e[o] = ElementwiseTest.round(rowSum(x, o * n, n), dtype);
                                    continue;
                                }
                                double v = op == ReduceOp.SUM ? 0 : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                                for (int j = 0; j < n; j++) {
                                    double t = x[(o * n + j) * inner + i];
                                    v = op == ReduceOp.SUM ? v + t : op == ReduceOp.MAX ? Math.max(v, t) : Math.min(v, t);
                                }
                                e[o * inner + i] = ElementwiseTest.round(v, dtype);
                            }
                        }
                        assertSame(op + " " + dtype + (direct ? " direct " : " heap ") + Arrays.toString(c), e, out);
                    }
                }
            }
        }
    }

    /**
     * A row sum in the documented order: chunks of C from the row's start; in a chunk, element j into partial
     * sum j mod 8 (the last m mod 8 into partial 0), the eight added pairwise; the chunks' sums in order.
     */
    private static double rowSum(double[] x, int from, int n) {
        double s = 0;
        for (int c = 0; c < n; c += C) {
            int m = Math.min(C, n - c), j = 0;
            double[] a = new double[8];
            for (; j + 8 <= m; j += 8) for (int q = 0; q < 8; q++) a[q] += x[from + c + j + q];
            for (; j < m; j++) a[0] += x[from + c + j];
            s += ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
        }
        return s;
    }

    /**
     * Row sums of finite values, where the order of the additions shows in the result: every length around
     * the eight partial sums and the chunk, the exact order to the bit, and within a few ulp of the exact sum.
     */
    @Test
    void rowSumsAddEightPartialSumsPerChunk() {
        Random r = new Random(11);
        int[] lengths = {1, 7, 8, 9, 15, 17, 63, 100, C - 1, C, C + 1, C + 7, 2 * C + 13, 5 * C + 3};
        for (DType dtype : DType.values()) {
            for (int n : lengths) {
                int outer = 3;
                double[] x = new double[outer * n];
                for (int i = 0; i < x.length; i++) x[i] = ElementwiseTest.round(Math.scalb(r.nextDouble() - 0.3, r.nextInt(40) - 20), dtype);
                for (int i = 0; i + 1 < x.length; i += 1 + r.nextInt(2 * n)) {   // ±2^40 pairs: what survives them shows the order
                    x[i] = Math.scalb(1.0, 40);
                    x[i + 1 + r.nextInt(Math.min(9, x.length - i - 1))] = -Math.scalb(1.0, 40);
                }
                if (n > 1) {
                    // Row 0: values in [-1, 1) with ±2^40 first and last (in the tail's partial, 0 unless n is a
                    // multiple of 8): the partial that holds them keeps its other values to 2^-12 only.
                    for (int i = 0; i < n; i++) x[i] = ElementwiseTest.round(2 * r.nextDouble() - 1, dtype);
                    x[0] = Math.scalb(1.0, 40);
                    x[n - 1] = -Math.scalb(1.0, 40);
                }
                Buf in = Buf.of(dtype, true, x, 1), out = Buf.of(dtype, true, new double[outer], 2);
                if (dtype == DType.F32) BufferKernels.reduce(ReduceOp.SUM, in.f(), outer, n, 1, out.f());
                else BufferKernels.reduce(ReduceOp.SUM, in.d(), outer, n, 1, out.d());
                double[] e = new double[outer], got = out.values();
                for (int o = 0; o < outer; o++) {
                    e[o] = ElementwiseTest.round(rowSum(x, o * n, n), dtype);
                    java.math.BigDecimal exact = java.math.BigDecimal.ZERO;
                    double scale = 0;
                    for (int j = 0; j < n; j++) {
                        exact = exact.add(new java.math.BigDecimal(x[o * n + j]));
                        scale += Math.abs(x[o * n + j]);
                    }
                    double bound = (dtype == DType.F32 ? Math.ulp((float) exact.doubleValue()) : 0) + 4 * n * Math.ulp(1.0) * scale;
                    assertEquals(exact.doubleValue(), got[o], bound, "row " + o + " of length " + n + " " + dtype);
                }
                assertSame("row sums of length " + n + " " + dtype, e, out);
            }
        }
    }

    @Test
    void fillAndConversionsMatchTheReference() {
        Random r = new Random(8);
        for (boolean direct : new boolean[] {false, true}) {
            for (int n : new int[] {0, 5, C, 2 * C + 37}) {
                String at = (direct ? "direct" : "heap") + " n=" + n;
                for (DType dtype : DType.values()) {
                    Buf b = Buf.of(dtype, direct, data(r, n, dtype), 1);
                    if (dtype == DType.F32) BufferKernels.fill(b.f(), n, -0.0);
                    else BufferKernels.fill(b.d(), n, -0.0);
                    double[] e = new double[n];
                    Arrays.fill(e, -0.0);
                    assertSame("fill " + dtype + " " + at, e, b);
                }
                double[] x = data(r, n, DType.F64), xf = new double[n];
                for (int i = 0; i < n; i++) xf[i] = (float) x[i];
                Buf f = Buf.of(DType.F32, direct, new double[n], 1), d = Buf.of(DType.F64, direct, x, 2);
                BufferKernels.convert(d.d(), f.f(), n);
                assertSame("convert F64 to F32 " + at, xf, f);
                Buf d2 = Buf.of(DType.F64, direct, new double[n], 3);
                BufferKernels.convert(f.f(), d2.d(), n);
                assertSame("convert F32 to F64 " + at, xf, d2);
                BufferKernels.fromArray(x, f.f());
                assertSame("fromArray double[] to F32 " + at, xf, f);
                float[] fa = BufferKernels.toFloatArray(d.d(), n);
                double[] back = new double[n];
                for (int i = 0; i < n; i++) back[i] = fa[i];
                BufferKernels.fromArray(fa, d2.d());
                assertSame("fromArray float[] to F64 " + at, xf, d2);
                assertSame("toFloatArray " + at, xf, Buf.of(DType.F64, false, back));
                assertSame("toDoubleArray " + at, xf, Buf.of(DType.F64, false, BufferKernels.toDoubleArray(f.f(), n)));
            }
        }
    }

    @Test
    void aHeapViewTooSmallThrowsAndTheArrayBeyondItIsUntouched() {
        float[] backing = new float[3 * C];
        FloatBuffer view = FloatBuffer.wrap(backing).slice(C, C);          // elements [C, 2C) of the array
        FloatBuffer big = FloatBuffer.wrap(new float[2 * C]);
        Shape n = Shape.of(2 * C);
        assertThrows(IndexOutOfBoundsException.class, () -> BufferKernels.binary(BinaryOp.ADD, big, n, big, n, view, n));
        assertThrows(IndexOutOfBoundsException.class, () -> BufferKernels.unary(UnaryOp.NEG, big, view, 2 * C));
        assertThrows(IndexOutOfBoundsException.class, () -> BufferKernels.reduce(ReduceOp.SUM, view, 1, 2 * C, 1, big));
        for (int i = 2 * C; i < 3 * C; i++) assertEquals(0f, backing[i], "element " + i + " past the view");
    }
}
