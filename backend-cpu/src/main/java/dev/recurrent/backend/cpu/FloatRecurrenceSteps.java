package dev.recurrent.backend.cpu;

import java.nio.Buffer;
import java.nio.FloatBuffer;

/**
 * The F32 loops of {@link RecurrenceSteps}; {@link DoubleRecurrenceSteps} is the F64 twin. They work
 * batch row by batch row on arrays: a row's values are copied out of the buffers in bulk (one copy, not a
 * call per element), computed, and copied back in bulk. Every loop is short and of one element type, so
 * that C2 unrolls and vectorises it.
 *
 * <p>A loop that combines gate blocks reads each block from an array of its own ({@link #split}; the
 * gradients go back through {@link #join}), indexed {@code [j]} like everything else in the loop. C2 (JDK 17)
 * leaves a loop scalar when its array indices have different symbolic offsets, as {@code a[j]} and
 * {@code a[2*h + j]} do, because it cannot rule out that a store overlaps a load of the next iteration (the
 * arrays might be one). Measured on 16 rows of H 256 (one thread, the two versions alternating in one JVM),
 * µs a step: LSTM forward 72 → 62 and backward 53 → 30, GRU forward 47 → 36 and backward 39 → 27; copying a
 * block costs far less than a scalar loop. {@code StepPassThroughput} (backend-cpu's tests) prints these.
 *
 * <p>The passes compute in float, as PyTorch's do and as the op-by-op F32 graph they are tested against
 * does, with {@link FloatActivations} (tanh within 8 ulp, sigmoid within 3e-7): they run once per step on
 * the sequence's critical path, and double would cost conversion loops per row that C2 leaves scalar
 * (measured: the LSTM forward pass about twice as fast in float). Only {@link #columnSums} (GRU's
 * {@code db_hh}, once per sequence) adds in double, as the backend's reduce does.
 *
 * <p>One instance per kernel call and thread (it owns the row arrays): when {@link RecurrenceKernels} splits
 * the batch over a crew, each slice has its own (the same code per row, so the same results).
 */
final class FloatRecurrenceSteps implements RecurrenceSteps {
    private final int hidden;
    private final float[] f1, f2, f3;     // rows as stored: G·H, max(G·H, 4H), G·H
    private final float[][] narrow;       // rows as stored: six of H
    private final float[][] gate, dgate;  // a gate row's H-wide blocks, each in an array of its own (see the class comment)
    private final float[] q;              // FloatActivations' scratch: G·H
    private float[] bias;                 // GRU's b_hh, read once per call

    /** Row arrays for {@code gates·hidden}-wide gate rows. */
    FloatRecurrenceSteps(int gates, int hidden) {
        int gh = gates * hidden;
        this.hidden = hidden;
        this.f1 = new float[gh];
        this.f2 = new float[Math.max(gh, 4 * hidden)];      // GRU's saved row is 4H wide
        this.f3 = new float[gh];
        this.q = new float[gh];
        this.narrow = new float[6][hidden];
        this.gate = new float[4][hidden];
        this.dgate = new float[4][hidden];
    }

    private static FloatBuffer f(Buffer b) { return (FloatBuffer) b; }



    @Override
    public void gemm(BufferGemm g, Buffer a, int aOff, boolean transA, Buffer b, int bOff, boolean transB,
                     Buffer c, int cOff, boolean accumulate, int m, int n, int k) {
        g.gemm(f(a), aOff, transA, f(b), bOff, transB, f(c), cOff, accumulate, m, n, k);
    }

    @Override public void copy(Buffer src, int from, Buffer dst, int to, int n) { f(dst).put(to, f(src), from, n); }

    @Override
    public void zero(Buffer x, int from, int n) { FloatKernels.fill(f(x), from, n, 0f); }

    @Override
    public void columnSums(Buffer x, int rows, int cols, int from, int to, Buffer out) {
        BufferKernels.columnSums(f(x), rows, cols, from, to, f(out));
    }

    @Override
    public void elman(boolean relu, Buffer out, int o, int n) {
        FloatBuffer y = f(out);
        float[] r = narrow[0];
        for (int e = 0; e < n; e += hidden) {                  // row by row: the arrays hold H
            int len = Math.min(hidden, n - e);
            y.get(o + e, r, 0, len);
            if (relu) {
                for (int j = 0; j < len; j++) { float v = r[j]; r[j] = v < 0 ? 0f : v; }
            } else {
                FloatActivations.tanh(r, q, 0, len);
            }
            y.put(o + e, r, 0, len);
        }
    }

    @Override
    public void lstm(Buffer xp, int xo, Buffer hw, int ho, Buffer cPrev, int co, Buffer saved, int go, int tco,
                     Buffer out, int hOut, int cOut, int batch) {
        FloatBuffer x = f(xp), w = f(hw), cp = f(cPrev), s = f(saved), y = f(out);
        int h = hidden, gw = 4 * h;
        float[] a = f1, gi = gate[0], gf = gate[1], gg = gate[2], go_ = gate[3], c = narrow[0], tc = narrow[1], r = narrow[2];
        for (int b = 0; b < batch; b++) {
            int k0 = b * gw, e0 = b * h;
            x.get(xo + k0, a, 0, gw);
            w.get(ho + k0, f2, 0, gw);
            for (int k = 0; k < gw; k++) a[k] += f2[k];
            FloatActivations.sigmoid(a, q, 0, 2 * h);          // i, f
            FloatActivations.tanh(a, q, 2 * h, h);             // g
            FloatActivations.sigmoid(a, q, 3 * h, h);          // o
            s.put(go + k0, a, 0, gw);
            split(a, gi, gf, gg, go_);
            cp.get(co + e0, c, 0, h);
            for (int j = 0; j < h; j++) c[j] = gf[j] * c[j] + gi[j] * gg[j];
            y.put(cOut + e0, c, 0, h);
            System.arraycopy(c, 0, tc, 0, h);
            FloatActivations.tanh(tc, q, 0, h);
            s.put(tco + e0, tc, 0, h);
            for (int j = 0; j < h; j++) r[j] = go_[j] * tc[j];
            y.put(hOut + e0, r, 0, h);
        }
    }

    /** The first four H-wide blocks of {@code row} into {@code b0..b3} (fixed arity: varargs would allocate per row). */
    private void split(float[] row, float[] b0, float[] b1, float[] b2, float[] b3) {
        int h = hidden;
        System.arraycopy(row, 0, b0, 0, h);
        System.arraycopy(row, h, b1, 0, h);
        System.arraycopy(row, 2 * h, b2, 0, h);
        System.arraycopy(row, 3 * h, b3, 0, h);
    }

    @Override
    public void gru(Buffer xp, int xo, Buffer hw, int ho, Buffer bhh, Buffer hPrev, int po, Buffer saved, int go,
                    Buffer out, int hOut, int batch) {
        FloatBuffer x = f(xp), w = f(hw), hp = f(hPrev), s = f(saved), y = f(out);
        int h = hidden, gw = 3 * h;
        if (bias == null) {
            bias = new float[gw];
            f(bhh).get(0, bias, 0, gw);
        }
        float[] a = f1, t = f2, bs = bias, z = gate[1], n = gate[2], bn = gate[3], hv = narrow[0];
        for (int b = 0; b < batch; b++) {
            int k0 = b * gw, e0 = b * h;
            x.get(xo + k0, a, 0, gw);
            w.get(ho + k0, t, 0, gw);
            for (int k = 0; k < gw; k++) t[k] += bs[k];        // h·W_hhᵀ + b_hh; its n block is b_n
            for (int k = 0; k < 2 * h; k++) a[k] += t[k];
            FloatActivations.sigmoid(a, q, 0, 2 * h);          // r, z
            s.put(go + b * 4 * h, a, 0, 2 * h);                // saved row: r, z, n, b_n
            System.arraycopy(a, h, z, 0, h);
            System.arraycopy(a, 2 * h, n, 0, h);
            System.arraycopy(t, 2 * h, bn, 0, h);
            for (int j = 0; j < h; j++) n[j] += a[j] * bn[j];  // a[j] is r
            FloatActivations.tanh(n, q, 0, h);
            s.put(go + b * 4 * h + 2 * h, n, 0, h);
            s.put(go + b * 4 * h + 3 * h, bn, 0, h);
            hp.get(po + e0, hv, 0, h);
            for (int j = 0; j < h; j++) hv[j] = n[j] + z[j] * (hv[j] - n[j]);
            y.put(hOut + e0, hv, 0, h);
        }
    }

    @Override
    public void elmanBackward(boolean relu, Buffer grad, int go, Buffer dh, int dho, Buffer out, int ho, Buffer dxp, int dxo,
                              int n) {
        FloatBuffer gr = f(grad), d = f(dh), y = f(out), dx = f(dxp);
        float[] gs = narrow[0], ds = narrow[1], hs = narrow[2], dxs = narrow[3];
        for (int e = 0; e < n; e += hidden) {                  // row by row: the arrays hold H
            int len = Math.min(hidden, n - e);
            gr.get(go + e, gs, 0, len);
            d.get(dho + e, ds, 0, len);
            y.get(ho + e, hs, 0, len);
            if (relu) {
                for (int j = 0; j < len; j++) {
                    float v = gs[j] + ds[j];                   // the exact sum rounded once
                    dxs[j] = hs[j] > 0 ? v : v * 0;            // v * 0 keeps a NaN, as dh·step(h) does
                }
            } else {
                for (int j = 0; j < len; j++) dxs[j] = (gs[j] + ds[j]) * (1 - hs[j] * hs[j]);
            }
            dx.put(dxo + e, dxs, 0, len);
        }
    }

    @Override
    public void lstmBackward(Buffer grad, int gh, int gc, Buffer dh, Buffer dc, int dho, Buffer saved, int go, int tco,
                             Buffer cPrev, int co, Buffer dxp, int dxo, int batch) {
        FloatBuffer gr = f(grad), dhb = f(dh), dcb = f(dc), s = f(saved), cp = f(cPrev), dx = f(dxp);
        int h = hidden, gw = 4 * h;
        float[] gi = gate[0], gf = gate[1], gg = gate[2], go_ = gate[3], di = dgate[0], df = dgate[1], dgg = dgate[2], dgo = dgate[3];
        float[] tc = narrow[0], dhv = narrow[1], dct = narrow[2], cpv = narrow[3], gH = narrow[4], gC = narrow[5];
        for (int b = 0; b < batch; b++) {
            int k0 = b * gw, e0 = b * h;
            s.get(go + k0, f1, 0, gw);                         // gates i, f, g, o
            split(f1, gi, gf, gg, go_);
            s.get(tco + e0, tc, 0, h);
            gr.get(gh + e0, gH, 0, h);
            gr.get(gc + e0, gC, 0, h);
            cp.get(co + e0, cpv, 0, h);
            dhb.get(dho + e0, dhv, 0, h);
            dcb.get(dho + e0, dct, 0, h);
            for (int j = 0; j < h; j++) {                      // dh and dc in total (dc through tanh(c) too)
                float d = gH[j] + dhv[j];
                dhv[j] = d;
                dct[j] = gC[j] + dct[j] + d * go_[j] * (1 - tc[j] * tc[j]);
            }
            for (int j = 0; j < h; j++) {
                float i = gi[j], g = gg[j], d = dct[j];
                di[j] = d * g * i * (1 - i);
                dgg[j] = d * i * (1 - g * g);
            }
            for (int j = 0; j < h; j++) {
                float fg = gf[j], d = dct[j];
                df[j] = d * cpv[j] * fg * (1 - fg);
                dct[j] = d * fg;                               // the previous c's gradient
            }
            for (int j = 0; j < h; j++) {
                float og = go_[j];
                dgo[j] = dhv[j] * tc[j] * og * (1 - og);
            }
            join(f2, di, df, dgg, dgo);
            dx.put(dxo + k0, f2, 0, gw);
            dcb.put(dho + e0, dct, 0, h);
        }
    }

    /** {@code b0..b2} side by side into {@code row}, H wide each: {@link #split}'s inverse. */
    private void join(float[] row, float[] b0, float[] b1, float[] b2) {
        int h = hidden;
        System.arraycopy(b0, 0, row, 0, h);
        System.arraycopy(b1, 0, row, h, h);
        System.arraycopy(b2, 0, row, 2 * h, h);
    }

    /** {@link #join(float[], float[], float[], float[])} with a fourth block. */
    private void join(float[] row, float[] b0, float[] b1, float[] b2, float[] b3) {
        join(row, b0, b1, b2);
        System.arraycopy(b3, 0, row, 3 * hidden, hidden);
    }

    @Override
    public void gruBackward(Buffer grad, int gr, Buffer dh, int dho, Buffer saved, int go, Buffer hPrev, int po,
                            Buffer dxp, int dxo, Buffer db, int dbo, int batch) {
        FloatBuffer g = f(grad), d = f(dh), s = f(saved), hp = f(hPrev), dx = f(dxp), dbb = f(db);
        int h = hidden, gw = 3 * h;
        float[] r = gate[0], z = gate[1], n = gate[2], bn = gate[3], dr = dgate[0], dz = dgate[1], dn = dgate[2], dbn = dgate[3];
        float[] dy = narrow[0], hv = narrow[1];
        for (int b = 0; b < batch; b++) {
            int k0 = b * gw, e0 = b * h;
            s.get(go + b * 4 * h, f2, 0, 4 * h);               // r, z, n, b_n
            split(f2, r, z, n, bn);
            g.get(gr + e0, dy, 0, h);
            d.get(dho + e0, hv, 0, h);
            for (int j = 0; j < h; j++) dy[j] += hv[j];
            hp.get(po + e0, hv, 0, h);
            for (int j = 0; j < h; j++) {                      // da's z and n blocks
                float zj = z[j], nj = n[j], y = dy[j];
                dz[j] = y * (hv[j] - nj) * zj * (1 - zj);
                dn[j] = y * (1 - zj) * (1 - nj * nj);
            }
            for (int j = 0; j < h; j++) {                      // the r block; db's n block
                float rj = r[j], dAn = dn[j];
                dr[j] = dAn * bn[j] * rj * (1 - rj);
                dbn[j] = dAn * rj;
            }
            for (int j = 0; j < h; j++) dy[j] *= z[j];         // the direct term dy·z
            join(f1, dr, dz, dn);
            dx.put(dxo + k0, f1, 0, gw);
            join(f3, dr, dz, dbn);                             // db: da's r and z blocks, then dAn·r
            dbb.put(dbo + k0, f3, 0, gw);
            d.put(dho + e0, dy, 0, h);
        }
    }
}
