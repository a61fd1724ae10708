package dev.recurrent.backend.cpu;

import java.nio.Buffer;
import java.nio.DoubleBuffer;

/**
 * The F64 loops of {@link RecurrenceSteps}, the twin of {@link FloatRecurrenceSteps}: the same math, element
 * by element on the buffers, with {@link Math#exp} and {@link Math#tanh} (F64 is the dtype of gradient
 * checks, so it keeps the per-op kernels' functions to the last bit rather than the F32 path's vectorised
 * approximations).
 */
final class DoubleRecurrenceSteps implements RecurrenceSteps {
    private final int hidden;

    DoubleRecurrenceSteps(int hidden) { this.hidden = hidden; }

    private static DoubleBuffer f(Buffer b) { return (DoubleBuffer) b; }

    private static double sigmoid(double x) { return DoubleKernels.sigmoid(x); }

    private static double tanh(double x) { return Math.tanh(x); }

    @Override
    public void gemm(BufferGemm g, Buffer a, int aOff, boolean transA, Buffer b, int bOff, boolean transB,
                     Buffer c, int cOff, boolean accumulate, int m, int n, int k) {
        g.gemm(f(a), aOff, transA, f(b), bOff, transB, f(c), cOff, accumulate, m, n, k);
    }

    @Override public void copy(Buffer src, int from, Buffer dst, int to, int n) { f(dst).put(to, f(src), from, n); }

    @Override
    public void zero(Buffer x, int from, int n) { DoubleKernels.fill(f(x), from, n, 0.0); }

    @Override
    public void columnSums(Buffer x, int rows, int cols, int from, int to, Buffer out) {
        BufferKernels.columnSums(f(x), rows, cols, from, to, f(out));
    }

    @Override
    public void elman(boolean relu, Buffer out, int o, int n) {
        DoubleBuffer y = f(out);
        if (relu) {
            for (int e = o, end = o + n; e < end; e++) { double v = y.get(e); y.put(e, v < 0 ? 0.0 : v); }
        } else {
            for (int e = o, end = o + n; e < end; e++) y.put(e, tanh(y.get(e)));
        }
    }

    @Override
    public void lstm(Buffer xp, int xo, Buffer hw, int ho, Buffer cPrev, int co, Buffer saved, int go, int tco,
                     Buffer out, int hOut, int cOut, int batch) {
        DoubleBuffer x = f(xp), w = f(hw), cp = f(cPrev), s = f(saved), y = f(out);
        int h = hidden;
        for (int b = 0; b < batch; b++) {
            int gb = b * 4 * h, sb = b * h;
            for (int j = 0; j < h; j++) {
                int k = gb + j, e = sb + j;
                double i = sigmoid(x.get(xo + k) + w.get(ho + k));
                double fg = sigmoid(x.get(xo + k + h) + w.get(ho + k + h));
                double g = tanh(x.get(xo + k + 2 * h) + w.get(ho + k + 2 * h));
                double og = sigmoid(x.get(xo + k + 3 * h) + w.get(ho + k + 3 * h));
                double c = fg * cp.get(co + e) + i * g, tc = tanh(c);
                s.put(go + k, i);
                s.put(go + k + h, fg);
                s.put(go + k + 2 * h, g);
                s.put(go + k + 3 * h, og);
                s.put(tco + e, tc);
                y.put(hOut + e, (og * tc));
                y.put(cOut + e, c);
            }
        }
    }

    @Override
    public void gru(Buffer xp, int xo, Buffer hw, int ho, Buffer bhh, Buffer hPrev, int po, Buffer saved, int go,
                    Buffer out, int hOut, int batch) {
        DoubleBuffer x = f(xp), w = f(hw), bias = f(bhh), hp = f(hPrev), s = f(saved), y = f(out);
        int h = hidden;
        for (int b = 0; b < batch; b++) {
            int gb = b * 3 * h, sb = b * 4 * h, e0 = b * h;
            for (int j = 0; j < h; j++) {
                int k = gb + j;
                double r = sigmoid(x.get(xo + k) + (w.get(ho + k) + bias.get(j)));
                double z = sigmoid(x.get(xo + k + h) + (w.get(ho + k + h) + bias.get(h + j)));
                double bn = w.get(ho + k + 2 * h) + bias.get(2 * h + j);
                double n = tanh(x.get(xo + k + 2 * h) + r * bn);
                s.put(go + sb + j, r);
                s.put(go + sb + h + j, z);
                s.put(go + sb + 2 * h + j, n);
                s.put(go + sb + 3 * h + j, bn);
                y.put(hOut + e0 + j, (n + z * (hp.get(po + e0 + j) - n)));
            }
        }
    }

    @Override
    public void elmanBackward(boolean relu, Buffer grad, int go, Buffer dh, int dho, Buffer out, int ho, Buffer dxp, int dxo, int n) {
        DoubleBuffer gr = f(grad), d = f(dh), y = f(out), dx = f(dxp);
        if (relu) {
            for (int e = 0; e < n; e++) {
                double v = gr.get(go + e) + d.get(dho + e);
                dx.put(dxo + e, (y.get(ho + e) > 0 ? v : v * 0));      // v * 0 keeps a NaN, as dh·step(h) does
            }
        } else {
            for (int e = 0; e < n; e++) {
                double v = gr.get(go + e) + d.get(dho + e), hv = y.get(ho + e);
                dx.put(dxo + e, (v * (1 - hv * hv)));
            }
        }
    }

    @Override
    public void lstmBackward(Buffer grad, int gh, int gc, Buffer dh, Buffer dc, int dho, Buffer saved, int go, int tco,
                             Buffer cPrev, int co, Buffer dxp, int dxo, int batch) {
        DoubleBuffer gr = f(grad), dhb = f(dh), dcb = f(dc), s = f(saved), cp = f(cPrev), dx = f(dxp);
        int h = hidden;
        for (int b = 0; b < batch; b++) {
            int gb = b * 4 * h, sb = b * h;
            for (int j = 0; j < h; j++) {
                int k = gb + j, e = sb + j;
                double i = s.get(go + k), fg = s.get(go + k + h), g = s.get(go + k + 2 * h), og = s.get(go + k + 3 * h);
                double tc = s.get(tco + e);
                double dhv = gr.get(gh + e) + dhb.get(dho + e);
                double dct = gr.get(gc + e) + dcb.get(dho + e) + dhv * og * (1 - tc * tc);
                dx.put(dxo + k, (dct * g * i * (1 - i)));
                dx.put(dxo + k + h, (dct * cp.get(co + e) * fg * (1 - fg)));
                dx.put(dxo + k + 2 * h, (dct * i * (1 - g * g)));
                dx.put(dxo + k + 3 * h, (dhv * tc * og * (1 - og)));
                dcb.put(dho + e, (dct * fg));
            }
        }
    }

    @Override
    public void gruBackward(Buffer grad, int gr, Buffer dh, int dho, Buffer saved, int go, Buffer hPrev, int po,
                            Buffer dxp, int dxo, Buffer db, int dbo, int batch) {
        DoubleBuffer g = f(grad), d = f(dh), s = f(saved), hp = f(hPrev), dx = f(dxp), dbb = f(db);
        int h = hidden;
        for (int b = 0; b < batch; b++) {
            int gb = b * 3 * h, sb = b * 4 * h, e0 = b * h;
            for (int j = 0; j < h; j++) {
                int k = gb + j, e = e0 + j;
                double r = s.get(go + sb + j), z = s.get(go + sb + h + j), n = s.get(go + sb + 2 * h + j);
                double bn = s.get(go + sb + 3 * h + j);
                double dy = g.get(gr + e) + d.get(dho + e);
                double dAn = dy * (1 - z) * (1 - n * n), dAz = dy * (hp.get(po + e) - n) * z * (1 - z);
                double dAr = dAn * bn * r * (1 - r);
                dx.put(dxo + k, dAr);
                dx.put(dxo + k + h, dAz);
                dx.put(dxo + k + 2 * h, dAn);
                dbb.put(dbo + k, dAr);
                dbb.put(dbo + k + h, dAz);
                dbb.put(dbo + k + 2 * h, (dAn * r));
                d.put(dho + e, (dy * z));
            }
        }
    }
}
