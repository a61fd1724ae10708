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
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link BufferKernels} over direct (off-heap) buffers, as the OpenBLAS backend uses them: the same results
 * as the reference, views made with slice() work from their own index 0, and a wrong size throws instead
 * of writing past the end.
 */
class DirectBufferTest {
    static FloatBuffer directF(double[] x) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * Math.max(x.length, 1)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        BufferKernels.fromArray(x, b);
        return b;
    }

    static DoubleBuffer directD(double[] x) {
        DoubleBuffer b = ByteBuffer.allocateDirect(8 * Math.max(x.length, 1)).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        BufferKernels.fromArray(x, b);
        return b;
    }

    @Test
    void elementwiseAndBroadcastOnDirectBuffers() {
        Random r = new Random(11);
        double[] a = Naive.data(r, 24, DType.F32), b = Naive.data(r, 4, DType.F32);
        int[] aDims = {2, 3, 4}, bDims = {3, 1};
        FloatBuffer out = directF(new double[24]);
        BufferKernels.binary(BinaryOp.MUL, directF(a), Shape.of(aDims), directF(b), Shape.of(bDims), out, Shape.of(aDims));
        double[] expected = Naive.zip(a, aDims, b, bDims, aDims, (x, y) -> (float) (x * y));
        Naive.assertExact("direct F32 mul", expected, BufferKernels.toDoubleArray(out, 24));

        double[] c = Naive.data(r, 4, DType.F64);
        DoubleBuffer dOut = directD(new double[24]);
        BufferKernels.binary(BinaryOp.SUB, directD(a), Shape.of(aDims), directD(c), Shape.of(4), dOut, Shape.of(aDims));
        Naive.assertExact("direct F64 suffix sub", Naive.zip(a, aDims, c, new int[] {4}, aDims, (x, y) -> x - y),
                BufferKernels.toDoubleArray(dOut, 24));

        FloatBuffer u = directF(new double[24]);
        BufferKernels.unary(UnaryOp.SIGMOID, directF(a), u, 24);
        BufferKernels.scalar(ScalarOp.MUL, u, 2, u, 24);                                   // in place
        for (int i = 0; i < 24; i++) assertEquals((float) (2 * (double) (float) (1 / (1 + Math.exp(-a[i])))), u.get(i), 1e-6);

        double[] cond = {1, 0, 0, 1};
        FloatBuffer w = directF(new double[24]);
        BufferKernels.where(directF(cond), Shape.of(4), directF(a), Shape.of(aDims), directF(b), Shape.of(3, 1), w, Shape.of(aDims));
        Naive.assertExact("direct where", Naive.where(cond, new int[] {4}, a, aDims, b, bDims, aDims), BufferKernels.toDoubleArray(w, 24));
    }

    @Test
    void layoutAndRowsOnDirectBuffers() {
        Random r = new Random(12);
        double[] x = Naive.data(r, 3 * 40 * 35, DType.F64);
        int[] dims = {3, 40, 35}, perm = {0, 2, 1};
        DoubleBuffer p = directD(new double[x.length]);
        BufferKernels.permute(directD(x), Shape.of(dims), perm, p);
        Naive.assertExact("direct permute", Naive.permute(x, dims, perm), BufferKernels.toDoubleArray(p, x.length));

        FloatBuffer red = directF(new double[3 * 35]);
        BufferKernels.reduce(ReduceOp.SUM, directF(x), 3, 40, 35, red);
        CpuBackend be = new CpuBackend(1);
        Naive.assertExact("direct reduce = heap reduce",
                be.toDoubleArray(be.reduce(ReduceOp.SUM, be.fromArray(DType.F32, x), 3, 40, 35)), BufferKernels.toDoubleArray(red, 3 * 35));

        double[] t = {1, 2, 3, 4, 5, 6};                                                  // [3,2]
        FloatBuffer g = directF(new double[6]);
        BufferKernels.gatherRows(directF(t), 2, new int[] {2, 2, 0}, g);
        assertArrayEquals(new float[] {5, 6, 5, 6, 1, 2}, BufferKernels.toFloatArray(g, 6));
        DoubleBuffer s = directD(new double[] {9, 9, 9, 9, 9, 9});                       // overwritten, not added to
        BufferKernels.scatterAddRows(directD(t), 2, new int[] {0, 0, 2}, 3, s);
        assertArrayEquals(new double[] {4, 6, 0, 0, 5, 6}, BufferKernels.toDoubleArray(s, 6));

        DoubleBuffer cat = directD(new double[8]);
        BufferKernels.concat(new DoubleBuffer[] {directD(new double[] {1, 2}), directD(new double[] {3, 4, 5, 6})}, 2, new int[] {1, 2}, 1, cat);
        assertArrayEquals(new double[] {1, 3, 4, 2, 5, 6, 0, 0}, BufferKernels.toDoubleArray(cat, 8));
        FloatBuffer sl = directF(new double[2]);
        BufferKernels.slice(directF(new double[] {1, 3, 4, 2, 5, 6}), 2, 3, 1, 1, 1, sl);
        assertArrayEquals(new float[] {3, 5}, BufferKernels.toFloatArray(sl, 2));
    }

    @Test
    void viewsStartAtTheirOwnZeroAndNeighboursStayUntouched() {
        FloatBuffer block = directF(new double[] {-1, -1, 1, 2, 3, -1, -1, -1, -1, -1});
        FloatBuffer in = block.slice(2, 3), out = block.slice(5, 3);
        BufferKernels.unary(UnaryOp.NEG, in, out, 3);
        BufferKernels.axpy(10, in, out, 3);
        assertArrayEquals(new float[] {-1, -1, 1, 2, 3, 9, 18, 27, -1, -1}, BufferKernels.toFloatArray(block, 10));
        assertEquals(0, block.position(), "position untouched");

        DoubleBuffer d = directD(new double[4]);
        BufferKernels.convert(block.slice(2, 3), d, 3);
        assertArrayEquals(new double[] {1, 2, 3, 0}, BufferKernels.toDoubleArray(d, 4));
        BufferKernels.fill(d, 2, 7);
        FloatBuffer f = directF(new double[4]);
        BufferKernels.convert(d, f, 4);
        assertArrayEquals(new float[] {7, 7, 3, 0}, BufferKernels.toFloatArray(f, 4));
        FloatBuffer g = directF(new double[] {-1, -1, -1});
        BufferKernels.copy(f.slice(1, 2), g, 2);
        assertArrayEquals(new float[] {7, 3, -1}, BufferKernels.toFloatArray(g, 3));
    }

    @Test
    void anOutputTooSmallThrowsInsteadOfWritingPastTheEnd() {
        FloatBuffer block = directF(new double[] {1, 2, 3, 4, 5, 6, 0, 0});
        FloatBuffer small = block.slice(6, 2);
        assertThrows(IndexOutOfBoundsException.class, () -> BufferKernels.unary(UnaryOp.EXP, block, small, 6));
        assertThrows(IndexOutOfBoundsException.class,
                () -> BufferKernels.gatherRows(block.slice(0, 6), 2, new int[] {0, 1}, small));
        assertThrows(IndexOutOfBoundsException.class,
                () -> BufferKernels.permute(block.slice(0, 6), Shape.of(2, 3), new int[] {1, 0}, small));
    }
}
