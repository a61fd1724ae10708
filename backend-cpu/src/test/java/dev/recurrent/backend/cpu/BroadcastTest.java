package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.Storage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** binary and where with NumPy broadcasting, against index arithmetic ({@link Naive#broadcastIndex}). */
class BroadcastTest {
    private static final CpuBackend BE = new CpuBackend(1);

    static DoubleBinaryOperator ref(BinaryOp op) {
        return switch (op) {
            case ADD -> (a, b) -> a + b;
            case SUB -> (a, b) -> a - b;
            case MUL -> (a, b) -> a * b;
            case DIV -> (a, b) -> a / b;
            case MAX -> Math::max;
            case MIN -> Math::min;
            case GT -> (a, b) -> a > b ? 1 : 0;
            case GE -> (a, b) -> a >= b ? 1 : 0;
            case LT -> (a, b) -> a < b ? 1 : 0;
            case LE -> (a, b) -> a <= b ? 1 : 0;
            case EQ -> (a, b) -> a == b ? 1 : 0;
        };
    }

    @Property(tries = 100, seed = "1234567")
    void binaryMatchesIndexArithmetic(@ForAll BinaryOp op, @ForAll DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        int[] out = Naive.shape(r, 0, 4, 4);
        int[] a = Naive.broadcastable(r, out), b = Naive.broadcastable(r, out);
        if (r.nextBoolean()) a = out.clone();                  // often one operand has the output's shape
        if (r.nextBoolean()) { int[] t = a; a = b; b = t; }
        checkBinary(op, dtype, a, b, r);
    }

    /** Each fast path, and the general path, by name. */
    @Test
    void everyBroadcastFormMatches() {
        int[][][] cases = {
            {{3, 4}, {3, 4}},            // equal shapes
            {{3, 4}, {}},                // scalar b (rank 0)
            {{1, 1}, {2, 3, 5}},         // scalar a (size 1, rank 2)
            {{5, 6}, {6}},               // [B,H] + [H]: trailing suffix
            {{5, 6}, {1, 6}},            // suffix with a leading 1
            {{6}, {2, 5, 6}},            // a is the suffix
            {{2, 3, 4}, {3, 4}},         // suffix of rank 2
            {{4, 1}, {1, 5}},            // outer product: general path
            {{2, 1, 3}, {4, 1}},         // general, rank difference
            {{2, 3, 1}, {2, 1, 4}},      // general
            {{1, 3, 1, 2}, {5, 1, 4, 1}},
            {{7, 1}, {7, 9}},            // column broadcast
            {{1}, {1}},
            {{}, {}},
        };
        Random r = new Random(99);
        for (int[][] c : cases) {
            for (DType dtype : DType.values()) {
                for (BinaryOp op : BinaryOp.values()) checkBinary(op, dtype, c[0], c[1], r);
            }
        }
    }

    @Test
    void knownValues() {
        Storage a = BE.fromArray(DType.F32, new double[] {1, 2, 3, 4, 5, 6});           // [2,3]
        Storage b = BE.fromArray(DType.F32, new double[] {10, 20, 30});                 // [3]
        Storage c = BE.fromArray(DType.F32, new double[] {100, 200});                   // [2,1]
        Shape s23 = Shape.of(2, 3);
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, BE.toDoubleArray(BE.binary(BinaryOp.ADD, a, s23, b, Shape.of(3), s23)));
        assertArrayEquals(new double[] {101, 102, 103, 204, 205, 206}, BE.toDoubleArray(BE.binary(BinaryOp.ADD, a, s23, c, Shape.of(2, 1), s23)));
        assertArrayEquals(new double[] {110, 120, 130, 210, 220, 230},
                BE.toDoubleArray(BE.binary(BinaryOp.ADD, b, Shape.of(3), c, Shape.of(2, 1), s23)));
    }

    @Property(tries = 80, seed = "8675309")
    void whereMatchesIndexArithmetic(@ForAll DType dtype, @ForAll long seed) {
        Random r = new Random(seed);
        int[] out = Naive.shape(r, 0, 4, 4);
        int[][] shapes = new int[3][];
        for (int q = 0; q < 3; q++) shapes[q] = r.nextInt(3) == 0 ? out.clone() : Naive.broadcastable(r, out);
        shapes[r.nextInt(3)] = out.clone();                    // the three must broadcast to exactly out
        checkWhere(dtype, shapes[0], shapes[1], shapes[2], r);
    }

    @Test
    void whereFastPathsAndSpecialConditions() {
        Random r = new Random(7);
        for (DType dtype : DType.values()) {
            checkWhere(dtype, new int[] {3, 4}, new int[] {3, 4}, new int[] {3, 4}, r);     // equal
            checkWhere(dtype, new int[] {}, new int[] {3, 4}, new int[] {1}, r);            // scalars
            checkWhere(dtype, new int[] {3, 4}, new int[] {4}, new int[] {3, 4}, r);        // suffix
            checkWhere(dtype, new int[] {3, 1}, new int[] {1, 4}, new int[] {}, r);         // general
        }
        // cond NaN selects a (NaN != 0), -0.0 selects b
        Storage cond = BE.fromArray(DType.F64, new double[] {Double.NaN, -0.0, 2});
        Storage a = BE.fromArray(DType.F64, new double[] {1, 1, 1});
        Storage b = BE.fromArray(DType.F64, new double[] {9, 9, 9});
        Shape s = Shape.of(3);
        assertArrayEquals(new double[] {1, 9, 1}, BE.toDoubleArray(BE.where(cond, s, a, s, b, s, s)));
    }

    private static void checkBinary(BinaryOp op, DType dtype, int[] a, int[] b, Random r) {
        int[] out = Shape.broadcast("test", Shape.of(a), Shape.of(b)).dims();
        double[] x = Naive.data(r, Naive.size(a), dtype), y = Naive.data(r, Naive.size(b), dtype);
        double[] expected = Naive.zip(x, a, y, b, out, ref(op));
        for (int i = 0; i < expected.length; i++) expected[i] = ElementwiseTest.round(expected[i], dtype);
        Storage got = BE.binary(op, BE.fromArray(dtype, x), Shape.of(a), BE.fromArray(dtype, y), Shape.of(b), Shape.of(out));
        assertEquals(dtype, got.dtype());
        // +, -, *, / in float are correctly rounded, so they equal the double result rounded once: exact match
        Naive.assertExact(dtype + " " + op + " " + Shape.of(a) + " with " + Shape.of(b), expected, BE.toDoubleArray(got));
    }

    private static void checkWhere(DType dtype, int[] c, int[] a, int[] b, Random r) {
        Shape out = Shape.broadcast("test", Shape.broadcast("test", Shape.of(c), Shape.of(a)), Shape.of(b));
        double[] cond = new double[Naive.size(c)];
        for (int i = 0; i < cond.length; i++) cond[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(2) == 0 ? 1 : -0.5;
        double[] x = Naive.data(r, Naive.size(a), dtype), y = Naive.data(r, Naive.size(b), dtype);
        double[] expected = Naive.where(cond, c, x, a, y, b, out.dims());
        Storage got = BE.where(BE.fromArray(dtype, cond), Shape.of(c), BE.fromArray(dtype, x), Shape.of(a),
                BE.fromArray(dtype, y), Shape.of(b), out);
        Naive.assertExact(dtype + " where " + Shape.of(c) + ", " + Shape.of(a) + ", " + Shape.of(b), expected, BE.toDoubleArray(got));
    }
}
