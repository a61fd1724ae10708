package dev.recurrent.backend.cpu;

import java.nio.Buffer;
import java.nio.FloatBuffer;

/**
 * The F32 loops of {@link RecurrenceSteps}; {@link DoubleRecurrenceSteps} is the F64 twin. They work
 * batch row by batch row on arrays: a row's values are copied out of the buffers in bulk (one copy, not a
 * call per element), computed in double and copied back rounded to float. In the forward passes the
 * activations are {@link Activations}' vectorised loops over a row; the backward passes need no
 * transcendental function (the forward saved the activations). One instance per kernel call (it owns the
 * row arrays), used by one thread.
 */
final class FloatRecurrenceSteps implements RecurrenceSteps {
    private final int hidden;
    private final float[] f1, f2, f3;     // rows as stored: G·H, max(G·H, 4H), G·H
    private final float[][] narrow;       // rows as stored: six of H
    private final double[] a, s1, s2;     // rows in double: G·H (gates), H, H
    private double[] bias;                // GRU's b_hh in double, read once per call

    /** Row arrays for {@code gates·hidden}-wide gate rows. */
    FloatRecurrenceSteps(int gates, int hidden) {
        int gh = gates * hidden;
        this.hidden = hidden;
        this.f1 = new float[gh];
        this.f2 = new float[Math.max(gh, 4 * hidden)];      // GRU's saved row is 4H wide
        this.f3 = new float[gh];
        this.narrow = new float[6][hidden];
        this.a = new double[gh];
        this.s1 = new double[hidden];
        this.s2 = new double[hidden];
    }

    private static FloatBuffer f(Buffer b) { return (FloatBuffer) b; }

    @Override
    public void gemm(BufferGemm g, Buffer a, int aOff, boolean transA, Buffer b, int bOff, boolean transB,
                     Buffer c, int cOff, boolean accumulate, int m, int n, int k) {
        g.gemm(f(a), aOff, transA, f(b), bOff, transB, f(c), cOff, accumulate, m, n, k);
    }

    @Override public void copy(Buffer src, int from, Buffer dst, int to, int n) { f(dst).put(to, f(src), from, n); }

    @Override
    public void zero(Buffer x, int from, int n) {
        FloatBuffer b = f(x);
        for (int i = from, end = from + n; i < end; i++) b.put(i, 0f);
    }

    @Override
    public void columnSums(Buffer x, int rows, int cols, Buffer out) {
        FloatBuffer in = f(x), o = f(out);
        double[] acc = new double[cols];
        for (int r = 0, row = 0; r < rows; r++, row += cols) {
            for (int j = 0; j < cols; j++) acc[j] += in.get(row + j);
        }
        for (int j = 0; j < cols; j++) o.put(j, (float) acc[j]);
    }

    /** {@code dst[to..to+n) = (float) src[0..n)}, n <= H. */
    private void store(double[] src, FloatBuffer dst, int to, int n) {
        for (int i = 0; i < n; i++) f3[i] = (float) src[i];
        dst.put(to, f3, 0, n);
    }

    @Override
    public void elman(boolean relu, Buffer out, int o, int n) {
        FloatBuffer y = f(out);
        if (relu) {
            for (int e = o, end = o + n; e < end; e++) { float v = y.get(e); y.put(e, v < 0 ? 0f : v); }
            return;
        }
        for (int e = 0; e < n; e += hidden) {                  // row by row: the arrays hold H
            int len = Math.min(hidden, n - e);
            y.get(o + e, f3, 0, len);
            for (int j = 0; j < len; j++) s1[j] = f3[j];
            Activations.tanh(s1, 0, len);
            store(s1, y, o + e, len);
        }
    }

    @Override
    public void lstm(Buffer xp, int xo, Buffer hw, int ho, Buffer cPrev, int co, Buffer saved, int go, int tco,
                     Buffer out, int hOut, int cOut, int batch) {
        FloatBuffer x = f(xp), w = f(hw), cp = f(cPrev), s = f(saved), y = f(out);
        int h = hidden, gw = 4 * h;
        double[] c = s1, tc = s2;
        for (int b = 0; b < batch; b++) {
            int k0 = b * gw, e0 = b * h;
            x.get(xo + k0, f1, 0, gw);
            w.get(ho + k0, f2, 0, gw);
            for (int k = 0; k < gw; k++) a[k] = (double) f1[k] + f2[k];
            Activations.sigmoid(a, 0, 2 * h);                  // i, f
            Activations.tanh(a, 2 * h, h);                     // g
            Activations.sigmoid(a, 3 * h, h);                  // o
            for (int k = 0; k < gw; k++) f1[k] = (float) a[k];
            s.put(go + k0, f1, 0, gw);
            cp.get(co + e0, f3, 0, h);
            for (int j = 0; j < h; j++) c[j] = a[h + j] * f3[j] + a[j] * a[2 * h + j];
            System.arraycopy(c, 0, tc, 0, h);
            Activations.tanh(tc, 0, h);
            store(c, y, cOut + e0, h);
            store(tc, s, tco + e0, h);
            for (int j = 0; j < h; j++) c[j] = a[3 * h + j] * tc[j];
            store(c, y, hOut + e0, h);
        }
    }

    @Override
    public void gru(Buffer xp, int xo, Buffer hw, int ho, Buffer bhh, Buffer hPrev, int po, Buffer saved, int go,
                    Buffer out, int hOut, int batch) {
        FloatBuffer x = f(xp), w = f(hw), hp = f(hPrev), s = f(saved), y = f(out);
        int h = hidden, gw = 3 * h;
        if (bias == null) {
            bias = new double[gw];
            for (int k = 0; k < gw; k++) bias[k] = f(bhh).get(k);
        }
        double[] bn = s1, hv = s2;
        for (int b = 0; b < batch; b++) {
            int k0 = b * gw, e0 = b * h;
            x.get(xo + k0, f1, 0, gw);
            w.get(ho + k0, f2, 0, gw);
            for (int k = 0; k < 2 * h; k++) a[k] = f1[k] + ((double) f2[k] + bias[k]);
            Activations.sigmoid(a, 0, 2 * h);                  // r, z
            for (int j = 0; j < h; j++) bn[j] = (double) f2[2 * h + j] + bias[2 * h + j];
            for (int j = 0; j < h; j++) a[2 * h + j] = f1[2 * h + j] + a[j] * bn[j];
            Activations.tanh(a, 2 * h, h);                     // n
            for (int k = 0; k < gw; k++) f2[k] = (float) a[k];  // saved row: r, z, n, b_n
            for (int j = 0; j < h; j++) f2[gw + j] = (float) bn[j];
            s.put(go + b * 4 * h, f2, 0, 4 * h);
            hp.get(po + e0, f3, 0, h);
            for (int j = 0; j < h; j++) {
                double n = a[2 * h + j];
                hv[j] = n + a[h + j] * (f3[j] - n);
            }
            store(hv, y, hOut + e0, h);
        }
    }

    @Override
    public void elmanBackward(boolean relu, Buffer grad, int go, Buffer dh, Buffer out, int ho, Buffer dxp, int dxo, int n) {
        FloatBuffer gr = f(grad), d = f(dh), y = f(out), dx = f(dxp);
        float[] gs = narrow[0], ds = narrow[1], hs = narrow[2], dxs = narrow[3];
        for (int e = 0; e < n; e += hidden) {                  // row by row: the arrays hold H
            int len = Math.min(hidden, n - e);
            gr.get(go + e, gs, 0, len);
            d.get(e, ds, 0, len);
            y.get(ho + e, hs, 0, len);
            if (relu) {
                for (int j = 0; j < len; j++) {
                    double v = (double) gs[j] + ds[j];
                    dxs[j] = (float) (hs[j] > 0 ? v : v * 0);  // v * 0 keeps a NaN, as dh·step(h) does
                }
            } else {
                for (int j = 0; j < len; j++) {
                    double hv = hs[j];
                    dxs[j] = (float) (((double) gs[j] + ds[j]) * (1 - hv * hv));
                }
            }
            dx.put(dxo + e, dxs, 0, len);
        }
    }

    @Override
    public void lstmBackward(Buffer grad, int gh, int gc, Buffer dh, Buffer dc, Buffer saved, int go, int tco,
                             Buffer cPrev, int co, Buffer dxp, int dxo, int batch) {
        FloatBuffer gr = f(grad), dhb = f(dh), dcb = f(dc), s = f(saved), cp = f(cPrev), dx = f(dxp);
        int h = hidden, gw = 4 * h;
        float[] gates = f2, dg = f1, gH = narrow[0], gC = narrow[1], tcs = narrow[2], cps = narrow[3], dhs = narrow[4], dcs = narrow[5];
        for (int b = 0; b < batch; b++) {
            int k0 = b * gw, e0 = b * h;
            s.get(go + k0, gates, 0, gw);
            s.get(tco + e0, tcs, 0, h);
            gr.get(gh + e0, gH, 0, h);
            gr.get(gc + e0, gC, 0, h);
            cp.get(co + e0, cps, 0, h);
            dhb.get(e0, dhs, 0, h);
            dcb.get(e0, dcs, 0, h);
            for (int j = 0; j < h; j++) {
                double i = gates[j], fg = gates[h + j], g = gates[2 * h + j], og = gates[3 * h + j], tc = tcs[j];
                double dhv = (double) gH[j] + dhs[j];
                double dct = (double) gC[j] + dcs[j] + dhv * og * (1 - tc * tc);
                dg[j] = (float) (dct * g * i * (1 - i));
                dg[h + j] = (float) (dct * cps[j] * fg * (1 - fg));
                dg[2 * h + j] = (float) (dct * i * (1 - g * g));
                dg[3 * h + j] = (float) (dhv * tc * og * (1 - og));
                dcs[j] = (float) (dct * fg);
            }
            dx.put(dxo + k0, dg, 0, gw);
            dcb.put(e0, dcs, 0, h);
        }
    }

    @Override
    public void gruBackward(Buffer grad, int gr, Buffer dh, Buffer saved, int go, Buffer hPrev, int po,
                            Buffer dxp, int dxo, Buffer db, int dbo, int batch) {
        FloatBuffer g = f(grad), d = f(dh), s = f(saved), hp = f(hPrev), dx = f(dxp), dbb = f(db);
        int h = hidden, gw = 3 * h;
        float[] sv = f2, da = f1, dbs = f3, gs = narrow[0], ds = narrow[1], hs = narrow[2];
        for (int b = 0; b < batch; b++) {
            int k0 = b * gw, e0 = b * h;
            s.get(go + b * 4 * h, sv, 0, 4 * h);
            g.get(gr + e0, gs, 0, h);
            d.get(e0, ds, 0, h);
            hp.get(po + e0, hs, 0, h);
            for (int j = 0; j < h; j++) {
                double r = sv[j], z = sv[h + j], nv = sv[2 * h + j], bn = sv[3 * h + j];
                double dy = (double) gs[j] + ds[j];
                double dAn = dy * (1 - z) * (1 - nv * nv), dAz = dy * (hs[j] - nv) * z * (1 - z);
                double dAr = dAn * bn * r * (1 - r);
                da[j] = (float) dAr;
                da[h + j] = (float) dAz;
                da[2 * h + j] = (float) dAn;
                dbs[j] = (float) dAr;
                dbs[h + j] = (float) dAz;
                dbs[2 * h + j] = (float) (dAn * r);
                ds[j] = (float) (dy * z);
            }
            dx.put(dxo + k0, da, 0, gw);
            dbb.put(dbo + k0, dbs, 0, gw);
            d.put(e0, ds, 0, h);
        }
    }
}
