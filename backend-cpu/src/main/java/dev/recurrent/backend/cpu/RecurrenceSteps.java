package dev.recurrent.backend.cpu;

import java.nio.Buffer;

/**
 * The per-dtype half of {@link RecurrenceKernels}: the pointwise loop of one time step of each cell, forward
 * and backward, and the few buffer chores of the sequence loop. {@link FloatRecurrenceSteps} (F32) and
 * {@link DoubleRecurrenceSteps} (F64) are twins; keep them in step. An instance serves one kernel call (of
 * one hidden size) on one thread. Every buffer argument is a {@code FloatBuffer} or a {@code DoubleBuffer}
 * according to the implementation.
 *
 * <p>Offsets are element offsets; a state window {@code [B, H]} is indexed {@code b*H + j}, a gate window
 * {@code [B, G·H]} {@code b*G·H + k*H + j} for gate block k; the Elman loops take the window's length
 * {@code n = B·H}. The layout of the saved buffer is {@link RecurrenceKernels}'s.
 */
interface RecurrenceSteps {
    void gemm(BufferGemm g, Buffer a, int aOff, boolean transA, Buffer b, int bOff, boolean transB,
              Buffer c, int cOff, boolean accumulate, int m, int n, int k);

    void copy(Buffer src, int from, Buffer dst, int to, int n);

    void zero(Buffer x, int from, int n);

    /**
     * {@code out[j] = Σ_r x[r·cols + j]} for columns j in {@code [from, to)}, added in row order in double and
     * rounded once (the backend's reduce SUM, to the bit), so that columns can be split over threads.
     */
    void columnSums(Buffer x, int rows, int cols, int from, int to, Buffer out);

    /** Elman forward, in place: {@code out[o+e] = act(out[o+e])} (the window holds xp + h·W_hhᵀ). */
    void elman(boolean relu, Buffer out, int o, int n);

    /**
     * LSTM forward: pre-activations {@code xp[xo..] + hw[ho..]} ({@code [B, 4H]}), previous c at
     * {@code cPrev[co..]}; writes the activated gates i, f, g, o to {@code saved[go..]}, tanh(c') to
     * {@code saved[tco..]}, h' to {@code out[hOut..]} and c' to {@code out[cOut..]}.
     */
    void lstm(Buffer xp, int xo, Buffer hw, int ho, Buffer cPrev, int co, Buffer saved, int go, int tco,
              Buffer out, int hOut, int cOut, int batch);

    /**
     * GRU forward: {@code a = xp[xo..]}, {@code b = hw[ho..] + bhh} (both {@code [B, 3H]}), previous h at
     * {@code hPrev[po..]}; writes r, z, n and b_n to {@code saved[go..]} ({@code [B, 4H]}), h' to {@code out[hOut..]}.
     */
    void gru(Buffer xp, int xo, Buffer hw, int ho, Buffer bhh, Buffer hPrev, int po, Buffer saved, int go,
             Buffer out, int hOut, int batch);

    /**
     * Elman backward: {@code dh = grad[go+e] + dh[dho+e]}; {@code dxp[dxo+e] = dh·act'} from h = {@code out[ho+e]}.
     */
    void elmanBackward(boolean relu, Buffer grad, int go, Buffer dh, int dho, Buffer out, int ho, Buffer dxp, int dxo, int n);

    /**
     * LSTM backward: {@code dh = grad[gh..] + dh[dho..]}, {@code dc = grad[gc..] + dc[dho..]}; writes the gate gradients to
     * {@code dxp[dxo..]} and replaces {@code dc} by the gradient of the previous c (the direct term σ(f)·dc').
     */
    void lstmBackward(Buffer grad, int gh, int gc, Buffer dh, Buffer dc, int dho, Buffer saved, int go, int tco,
                      Buffer cPrev, int co, Buffer dxp, int dxo, int batch);

    /**
     * GRU backward: {@code dy = grad[gr..] + dh[dho..]}; writes da to {@code dxp[dxo..]}, db (the gradient of
     * {@code h·W_hhᵀ + b_hh}) to {@code db[dbo..]}, and replaces {@code dh} by the direct term {@code dy·z}.
     */
    void gruBackward(Buffer grad, int gr, Buffer dh, int dho, Buffer saved, int go, Buffer hPrev, int po,
                     Buffer dxp, int dxo, Buffer db, int dbo, int batch);
}
