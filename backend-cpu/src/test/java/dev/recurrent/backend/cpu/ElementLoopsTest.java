package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.BinaryOp;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link FloatLoops#binary} and {@link DoubleLoops#binary} at one offset and at three (the rebased path
 * through scratch, also longer than a scratch chunk): every element is the one-element {@code binary} to the
 * bit, and nothing outside the output window is written.
 */
class ElementLoopsTest {
    private static final int[][] OFFSETS = {{0, 0, 0}, {5, 5, 5}, {0, 3, 7}, {9, 0, 2}, {1, 1, 0}};
    private static final int[] LENGTHS = {0, 1, 17, 1024, 2500};

    @Test
    void floatBinaryMatchesTheElementFormAtAnyOffsets() {
        Random r = new Random(11);
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] o : OFFSETS) {
                for (int m : LENGTHS) {
                    float[] x = new float[m + 12], y = new float[m + 12], z = new float[m + 12];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) r.nextGaussian();
                        y[i] = i % 7 == 0 ? x[i] : (float) r.nextGaussian();      // some ties for the comparisons
                        z[i] = -99f;
                    }
                    FloatLoops.binary(op, x, o[0], y, o[1], z, o[2], m);
                    for (int i = 0; i < z.length; i++) {
                        int j = i - o[2];
                        float expected = j >= 0 && j < m ? FloatLoops.binary(op, x[o[0] + j], y[o[1] + j]) : -99f;
                        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(z[i]),
                                op + " offsets " + java.util.Arrays.toString(o) + " m " + m + " at " + i);
                    }
                }
            }
        }
    }

    @Test
    void doubleBinaryMatchesTheElementFormAtAnyOffsets() {
        Random r = new Random(12);
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] o : OFFSETS) {
                for (int m : LENGTHS) {
                    double[] x = new double[m + 12], y = new double[m + 12], z = new double[m + 12];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = r.nextGaussian();
                        y[i] = i % 7 == 0 ? x[i] : r.nextGaussian();
                        z[i] = -99.0;
                    }
                    DoubleLoops.binary(op, x, o[0], y, o[1], z, o[2], m);
                    for (int i = 0; i < z.length; i++) {
                        int j = i - o[2];
                        double expected = j >= 0 && j < m ? DoubleLoops.binary(op, x[o[0] + j], y[o[1] + j]) : -99.0;
                        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(z[i]),
                                op + " offsets " + java.util.Arrays.toString(o) + " m " + m + " at " + i);
                    }
                }
            }
        }
    }
}
