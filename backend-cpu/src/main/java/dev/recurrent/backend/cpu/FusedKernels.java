package dev.recurrent.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Single-pass loops for the fused recurrent kernels of the Backend SPI ({@code lstmCell}, {@code gruCell}
 * and their backward kernels), over buffers, so both the {@code java} backend (heap buffers) and the
 * {@code openblas} backend (direct buffers) run them. The math is computed in double and rounded once.
 */
public final class FusedKernels {
    private FusedKernels() { }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** Fused LSTM step over {@code [B, 4H]} gates and {@code c:[B, H]} into {@code out:[B, 2H]} = [h' | c'] (see Backend#lstmCell). */
    public static void lstmCell(FloatBuffer gates, FloatBuffer c, FloatBuffer out, int batch, int hidden) {
        for (int b = 0; b < batch; b++) {
            int g = b * 4 * hidden, s = b * hidden, o = b * 2 * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(gates.get(g + j)), f = sigmoid(gates.get(g + hidden + j));
                double gg = FloatKernels.tanh(gates.get(g + 2 * hidden + j)), og = sigmoid(gates.get(g + 3 * hidden + j));
                double c2 = f * c.get(s + j) + i * gg;
                out.put(o + j, (float) (og * FloatKernels.tanh(c2)));
                out.put(o + hidden + j, (float) c2);
            }
        }
    }

    /** Backward of {@link #lstmCell}: {@code grad:[B, 2H]} -> {@code out:[B, 5H]} = [dgates | dc] (see Backend#lstmCellBackward). */
    public static void lstmCellBackward(FloatBuffer gates, FloatBuffer c, FloatBuffer grad, FloatBuffer out, int batch, int hidden) {
        for (int b = 0; b < batch; b++) {
            int g = b * 4 * hidden, s = b * hidden, d = b * 2 * hidden, o = b * 5 * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(gates.get(g + j)), f = sigmoid(gates.get(g + hidden + j));
                double gg = FloatKernels.tanh(gates.get(g + 2 * hidden + j)), og = sigmoid(gates.get(g + 3 * hidden + j));
                double cp = c.get(s + j), tc = FloatKernels.tanh(f * cp + i * gg);
                double dh = grad.get(d + j), dct = grad.get(d + hidden + j) + dh * og * (1 - tc * tc);
                out.put(o + j, (float) (dct * gg * i * (1 - i)));
                out.put(o + hidden + j, (float) (dct * cp * f * (1 - f)));
                out.put(o + 2 * hidden + j, (float) (dct * i * (1 - gg * gg)));
                out.put(o + 3 * hidden + j, (float) (dh * tc * og * (1 - og)));
                out.put(o + 4 * hidden + j, (float) (dct * f));
            }
        }
    }

    /** Fused GRU step: {@code a, b:[B, 3H]}, {@code h:[B, H]} -> {@code out:[B, H]} (see Backend#gruCell). */
    public static void gruCell(FloatBuffer a, FloatBuffer bb, FloatBuffer h, FloatBuffer out, int batch, int hidden) {
        for (int b = 0; b < batch; b++) {
            int g = b * 3 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double r = sigmoid(a.get(g + j) + bb.get(g + j)), z = sigmoid(a.get(g + hidden + j) + bb.get(g + hidden + j));
                double n = FloatKernels.tanh(a.get(g + 2 * hidden + j) + r * bb.get(g + 2 * hidden + j));
                out.put(s + j, (float) (n + z * (h.get(s + j) - n)));
            }
        }
    }

    /** Backward of {@link #gruCell}: {@code grad:[B, H]} -> {@code out:[B, 7H]} = [da | db | dh] (see Backend#gruCellBackward). */
    public static void gruCellBackward(FloatBuffer a, FloatBuffer bb, FloatBuffer h, FloatBuffer grad, FloatBuffer out, int batch, int hidden) {
        for (int b = 0; b < batch; b++) {
            int g = b * 3 * hidden, s = b * hidden, o = b * 7 * hidden;
            for (int j = 0; j < hidden; j++) {
                double bn = bb.get(g + 2 * hidden + j);
                double r = sigmoid(a.get(g + j) + bb.get(g + j)), z = sigmoid(a.get(g + hidden + j) + bb.get(g + hidden + j));
                double n = FloatKernels.tanh(a.get(g + 2 * hidden + j) + r * bn);
                double dy = grad.get(s + j);
                double dAn = dy * (1 - z) * (1 - n * n), dAz = dy * (h.get(s + j) - n) * z * (1 - z), dAr = dAn * bn * r * (1 - r);
                out.put(o + j, (float) dAr);
                out.put(o + hidden + j, (float) dAz);
                out.put(o + 2 * hidden + j, (float) dAn);
                out.put(o + 3 * hidden + j, (float) dAr);
                out.put(o + 4 * hidden + j, (float) dAz);
                out.put(o + 5 * hidden + j, (float) (dAn * r));
                out.put(o + 6 * hidden + j, (float) (dy * z));
            }
        }
    }

    /** Fused LSTM step over {@code [B, 4H]} gates and {@code c:[B, H]} into {@code out:[B, 2H]} = [h' | c'] (see Backend#lstmCell). */
    public static void lstmCell(DoubleBuffer gates, DoubleBuffer c, DoubleBuffer out, int batch, int hidden) {
        for (int b = 0; b < batch; b++) {
            int g = b * 4 * hidden, s = b * hidden, o = b * 2 * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(gates.get(g + j)), f = sigmoid(gates.get(g + hidden + j));
                double gg = Math.tanh(gates.get(g + 2 * hidden + j)), og = sigmoid(gates.get(g + 3 * hidden + j));
                double c2 = f * c.get(s + j) + i * gg;
                out.put(o + j, (og * Math.tanh(c2)));
                out.put(o + hidden + j, c2);
            }
        }
    }

    /** Backward of {@link #lstmCell}: {@code grad:[B, 2H]} -> {@code out:[B, 5H]} = [dgates | dc] (see Backend#lstmCellBackward). */
    public static void lstmCellBackward(DoubleBuffer gates, DoubleBuffer c, DoubleBuffer grad, DoubleBuffer out, int batch, int hidden) {
        for (int b = 0; b < batch; b++) {
            int g = b * 4 * hidden, s = b * hidden, d = b * 2 * hidden, o = b * 5 * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = sigmoid(gates.get(g + j)), f = sigmoid(gates.get(g + hidden + j));
                double gg = Math.tanh(gates.get(g + 2 * hidden + j)), og = sigmoid(gates.get(g + 3 * hidden + j));
                double cp = c.get(s + j), tc = Math.tanh(f * cp + i * gg);
                double dh = grad.get(d + j), dct = grad.get(d + hidden + j) + dh * og * (1 - tc * tc);
                out.put(o + j, (dct * gg * i * (1 - i)));
                out.put(o + hidden + j, (dct * cp * f * (1 - f)));
                out.put(o + 2 * hidden + j, (dct * i * (1 - gg * gg)));
                out.put(o + 3 * hidden + j, (dh * tc * og * (1 - og)));
                out.put(o + 4 * hidden + j, (dct * f));
            }
        }
    }

    /** Fused GRU step: {@code a, b:[B, 3H]}, {@code h:[B, H]} -> {@code out:[B, H]} (see Backend#gruCell). */
    public static void gruCell(DoubleBuffer a, DoubleBuffer bb, DoubleBuffer h, DoubleBuffer out, int batch, int hidden) {
        for (int b = 0; b < batch; b++) {
            int g = b * 3 * hidden, s = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double r = sigmoid(a.get(g + j) + bb.get(g + j)), z = sigmoid(a.get(g + hidden + j) + bb.get(g + hidden + j));
                double n = Math.tanh(a.get(g + 2 * hidden + j) + r * bb.get(g + 2 * hidden + j));
                out.put(s + j, (n + z * (h.get(s + j) - n)));
            }
        }
    }

    /** Backward of {@link #gruCell}: {@code grad:[B, H]} -> {@code out:[B, 7H]} = [da | db | dh] (see Backend#gruCellBackward). */
    public static void gruCellBackward(DoubleBuffer a, DoubleBuffer bb, DoubleBuffer h, DoubleBuffer grad, DoubleBuffer out, int batch, int hidden) {
        for (int b = 0; b < batch; b++) {
            int g = b * 3 * hidden, s = b * hidden, o = b * 7 * hidden;
            for (int j = 0; j < hidden; j++) {
                double bn = bb.get(g + 2 * hidden + j);
                double r = sigmoid(a.get(g + j) + bb.get(g + j)), z = sigmoid(a.get(g + hidden + j) + bb.get(g + hidden + j));
                double n = Math.tanh(a.get(g + 2 * hidden + j) + r * bn);
                double dy = grad.get(s + j);
                double dAn = dy * (1 - z) * (1 - n * n), dAz = dy * (h.get(s + j) - n) * z * (1 - z), dAr = dAn * bn * r * (1 - r);
                out.put(o + j, dAr);
                out.put(o + hidden + j, dAz);
                out.put(o + 2 * hidden + j, dAn);
                out.put(o + 3 * hidden + j, dAr);
                out.put(o + 4 * hidden + j, dAz);
                out.put(o + 5 * hidden + j, (dAn * r));
                out.put(o + 6 * hidden + j, (dy * z));
            }
        }
    }
}
