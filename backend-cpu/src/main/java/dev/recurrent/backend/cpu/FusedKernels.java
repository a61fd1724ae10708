package dev.recurrent.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * Single-pass loops for the fused recurrent kernels of the Backend SPI ({@code lstmCell}, {@code gruCell}
 * and their backward kernels), over buffers, so both the {@code java} backend (heap buffers) and the
 * {@code openblas} backend (direct buffers) run them. The math is computed in double and rounded once.
 * The F32 loops go batch row by batch row through arrays (one bulk copy per row in and out) so that the
 * activations are {@link Activations}' vectorised loops; the F64 loops keep {@link Math#exp} and
 * {@link Math#tanh}.
 */
public final class FusedKernels {
    private FusedKernels() { }

    private static double sigmoid(double x) { return 1 / (1 + Math.exp(-x)); }

    /** The activated LSTM gates of batch row {@code b} into {@code a} ([i, f, g, o], 4H), read through {@code row}. */
    private static void lstmGates(FloatBuffer gates, int b, int hidden, float[] row, double[] a) {
        int gw = 4 * hidden;
        gates.get(b * gw, row, 0, gw);
        for (int k = 0; k < gw; k++) a[k] = row[k];
        Activations.sigmoid(a, 0, 2 * hidden);
        Activations.tanh(a, 2 * hidden, hidden);
        Activations.sigmoid(a, 3 * hidden, hidden);
    }

    /** Fused LSTM step over {@code [B, 4H]} gates and {@code c:[B, H]} into {@code out:[B, 2H]} = [h' | c'] (see Backend#lstmCell). */
    public static void lstmCell(FloatBuffer gates, FloatBuffer c, FloatBuffer out, int batch, int hidden) {
        int h = hidden;
        float[] row = new float[4 * h], cs = new float[h], o = new float[2 * h];
        double[] a = new double[4 * h], tc = new double[h];
        for (int b = 0; b < batch; b++) {
            lstmGates(gates, b, h, row, a);
            c.get(b * h, cs, 0, h);
            for (int j = 0; j < h; j++) tc[j] = a[h + j] * cs[j] + a[j] * a[2 * h + j];
            for (int j = 0; j < h; j++) o[h + j] = (float) tc[j];
            Activations.tanh(tc, 0, h);
            for (int j = 0; j < h; j++) o[j] = (float) (a[3 * h + j] * tc[j]);
            out.put(b * 2 * h, o, 0, 2 * h);
        }
    }

    /** Backward of {@link #lstmCell}: {@code grad:[B, 2H]} -> {@code out:[B, 5H]} = [dgates | dc] (see Backend#lstmCellBackward). */
    public static void lstmCellBackward(FloatBuffer gates, FloatBuffer c, FloatBuffer grad, FloatBuffer out, int batch, int hidden) {
        int h = hidden;
        float[] row = new float[4 * h], cs = new float[h], d = new float[2 * h], o = new float[5 * h];
        double[] a = new double[4 * h], tc = new double[h];
        for (int b = 0; b < batch; b++) {
            lstmGates(gates, b, h, row, a);
            c.get(b * h, cs, 0, h);
            grad.get(b * 2 * h, d, 0, 2 * h);
            for (int j = 0; j < h; j++) tc[j] = a[h + j] * cs[j] + a[j] * a[2 * h + j];
            Activations.tanh(tc, 0, h);
            for (int j = 0; j < h; j++) {
                double i = a[j], f = a[h + j], gg = a[2 * h + j], og = a[3 * h + j], t = tc[j];
                double dh = d[j], dct = d[h + j] + dh * og * (1 - t * t);
                o[j] = (float) (dct * gg * i * (1 - i));
                o[h + j] = (float) (dct * cs[j] * f * (1 - f));
                o[2 * h + j] = (float) (dct * i * (1 - gg * gg));
                o[3 * h + j] = (float) (dh * t * og * (1 - og));
                o[4 * h + j] = (float) (dct * f);
            }
            out.put(b * 5 * h, o, 0, 5 * h);
        }
    }

    /** r, z, n of GRU batch row {@code b} into {@code a} (3H), and b_n into {@code bn}, read through {@code ra}, {@code rb}. */
    private static void gruGates(FloatBuffer a, FloatBuffer bb, int b, int hidden, float[] ra, float[] rb, double[] g, double[] bn) {
        int h = hidden, gw = 3 * h;
        a.get(b * gw, ra, 0, gw);
        bb.get(b * gw, rb, 0, gw);
        for (int k = 0; k < 2 * h; k++) g[k] = (double) ra[k] + rb[k];
        Activations.sigmoid(g, 0, 2 * h);
        for (int j = 0; j < h; j++) {
            bn[j] = rb[2 * h + j];
            g[2 * h + j] = ra[2 * h + j] + g[j] * bn[j];
        }
        Activations.tanh(g, 2 * h, h);
    }

    /** Fused GRU step: {@code a, b:[B, 3H]}, {@code h:[B, H]} -> {@code out:[B, H]} (see Backend#gruCell). */
    public static void gruCell(FloatBuffer a, FloatBuffer bb, FloatBuffer h, FloatBuffer out, int batch, int hidden) {
        int n = hidden;
        float[] ra = new float[3 * n], rb = new float[3 * n], hs = new float[n];
        double[] g = new double[3 * n], bn = new double[n];
        for (int b = 0; b < batch; b++) {
            gruGates(a, bb, b, n, ra, rb, g, bn);
            h.get(b * n, hs, 0, n);
            for (int j = 0; j < n; j++) {
                double nv = g[2 * n + j];
                hs[j] = (float) (nv + g[n + j] * (hs[j] - nv));
            }
            out.put(b * n, hs, 0, n);
        }
    }

    /** Backward of {@link #gruCell}: {@code grad:[B, H]} -> {@code out:[B, 7H]} = [da | db | dh] (see Backend#gruCellBackward). */
    public static void gruCellBackward(FloatBuffer a, FloatBuffer bb, FloatBuffer h, FloatBuffer grad, FloatBuffer out, int batch, int hidden) {
        int n = hidden;
        float[] ra = new float[3 * n], rb = new float[3 * n], hs = new float[n], d = new float[n], o = new float[7 * n];
        double[] g = new double[3 * n], bn = new double[n];
        for (int b = 0; b < batch; b++) {
            gruGates(a, bb, b, n, ra, rb, g, bn);
            h.get(b * n, hs, 0, n);
            grad.get(b * n, d, 0, n);
            for (int j = 0; j < n; j++) {
                double r = g[j], z = g[n + j], nv = g[2 * n + j], dy = d[j];
                double dAn = dy * (1 - z) * (1 - nv * nv), dAz = dy * (hs[j] - nv) * z * (1 - z), dAr = dAn * bn[j] * r * (1 - r);
                o[j] = (float) dAr;
                o[n + j] = (float) dAz;
                o[2 * n + j] = (float) dAn;
                o[3 * n + j] = (float) dAr;
                o[4 * n + j] = (float) dAz;
                o[5 * n + j] = (float) (dAn * r);
                o[6 * n + j] = (float) (dy * z);
            }
            out.put(b * 7 * n, o, 0, 7 * n);
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
