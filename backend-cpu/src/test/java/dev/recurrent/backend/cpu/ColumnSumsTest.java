package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.ReduceOp;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link BufferKernels#columnSums} over any split of the columns gives {@link BufferKernels#reduce}'s SUM
 * (outer 1) to the bit, in both dtypes, on heap and direct buffers, for row counts that are and are not
 * multiples of four and column counts past one chunk.
 */
class ColumnSumsTest {
    @Test
    void anySplitOfTheColumnsGivesTheReduceResultToTheBit() {
        Random r = new Random(17);
        for (int[] s : new int[][] {{1, 5}, {7, 1030}, {1601, 768}, {40, 2500}}) {
            int rows = s[0], cols = s[1];
            for (boolean direct : new boolean[] {false, true}) {
                FloatBuffer x = direct ? ByteBuffer.allocateDirect(4 * rows * cols).order(ByteOrder.nativeOrder()).asFloatBuffer()
                        : FloatBuffer.allocate(rows * cols);
                DoubleBuffer xd = direct ? ByteBuffer.allocateDirect(8 * rows * cols).order(ByteOrder.nativeOrder()).asDoubleBuffer()
                        : DoubleBuffer.allocate(rows * cols);
                for (int i = 0; i < rows * cols; i++) {
                    double v = r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3);
                    x.put(i, (float) v);
                    xd.put(i, v);
                }
                FloatBuffer want = FloatBuffer.allocate(cols), got = FloatBuffer.allocate(cols);
                DoubleBuffer wantD = DoubleBuffer.allocate(cols), gotD = DoubleBuffer.allocate(cols);
                BufferKernels.reduce(ReduceOp.SUM, x, 1, rows, cols, want);
                BufferKernels.reduce(ReduceOp.SUM, xd, 1, rows, cols, wantD);
                int[] bounds = {0, cols / 3, cols / 3 + 1, (2 * cols) / 3, cols};
                for (int p = 0; p + 1 < bounds.length; p++) {
                    BufferKernels.columnSums(x, rows, cols, bounds[p], bounds[p + 1], got);
                    BufferKernels.columnSums(xd, rows, cols, bounds[p], bounds[p + 1], gotD);
                }
                for (int j = 0; j < cols; j++) {
                    String at = rows + "x" + cols + (direct ? " direct" : " heap") + ", column " + j;
                    assertEquals(Float.floatToRawIntBits(want.get(j)), Float.floatToRawIntBits(got.get(j)), "F32 " + at);
                    assertEquals(Double.doubleToRawLongBits(wantD.get(j)), Double.doubleToRawLongBits(gotD.get(j)), "F64 " + at);
                }
            }
        }
    }
}
