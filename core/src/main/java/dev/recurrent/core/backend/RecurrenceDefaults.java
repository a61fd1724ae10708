package dev.recurrent.core.backend;

import dev.recurrent.core.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link Backend#recurrence} and {@link Backend#recurrenceBackward} written as a loop over steps with the
 * backend's own per-step kernels ({@code matmul}, {@code lstmCell}, {@code gruCell}, their backward
 * kernels, elementwise ops): what a backend gets when it has no sequence kernels of its own, and the
 * reference those kernels are tested against. It saves nothing: the backward recomputes each step's gate
 * pre-activations from {@code out}. Temporaries are released as soon as a step is done.
 */
public final class RecurrenceDefaults {
    private final Backend be;
    private final CellKind kind;
    private final boolean reverse;
    private final int steps, batch, hidden, gh, bh;
    private final Shape rows, bias;
    private final List<Storage> temps = new ArrayList<>();

    private RecurrenceDefaults(Backend be, CellKind kind, boolean reverse, int steps, int batch, int hidden) {
        this.be = be;
        this.kind = kind;
        this.reverse = reverse;
        this.steps = steps;
        this.batch = batch;
        this.hidden = hidden;
        this.gh = kind.gates() * hidden;
        this.bh = batch * hidden;
        this.rows = Shape.of(batch, gh);
        this.bias = Shape.of(gh);
    }

    /** The default {@link Backend#recurrence}; returns {@code {out, null}}. */
    public static Storage[] forward(Backend be, CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                    int steps, int batch, int hidden) {
        return new RecurrenceDefaults(be, kind, reverse, steps, batch, hidden).forward(xp, whh, bhh, init);
    }

    /** The default {@link Backend#recurrenceBackward} (it needs no saved storage). */
    public static Storage[] backward(Backend be, CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                     Storage out, Storage grad, int steps, int batch, int hidden) {
        return new RecurrenceDefaults(be, kind, reverse, steps, batch, hidden).backward(xp, whh, bhh, init, out, grad);
    }

    private Storage t(Storage s) { temps.add(s); return s; }

    private void releaseTemps() {
        for (Storage s : temps) s.release();
        temps.clear();
    }

    /** Step t of {@code xp} ({@code [B, G·H]}). */
    private Storage xpAt(Storage xp, int t) { return t(be.slice(xp, 1, steps * batch * gh, 1, t * batch * gh, batch * gh)); }

    /** {@code [B, H]} block {@code index} of {@code out} or {@code grad} ({@code [S, T, B, H]}: S·T such blocks). */
    private Storage state(Storage s, int index) { return t(be.slice(s, 1, kind.states() * steps * bh, 1, index * bh, bh)); }

    /** Columns {@code [from, from + len)} of a {@code [B, width]} storage. */
    private Storage cols(Storage s, int width, int from, int len) { return t(be.slice(s, batch, width, 1, from, len)); }

    /** {@code h·W_hhᵀ (+ b_hh)}: {@code [B, G·H]}. */
    private Storage hidden(Storage h, Storage whh, Storage bhh) {
        Storage p = t(be.matmul(h, false, 0, whh, true, 0, 1, batch, gh, hidden));
        return bhh == null ? p : t(be.binary(BinaryOp.ADD, p, rows, bhh, bias, rows));
    }

    private Storage add(Storage a, Storage b) { return t(be.binary(BinaryOp.ADD, a, rows, b, rows, rows)); }

    private Storage addState(Storage a, Storage b) {
        Shape s = Shape.of(batch, hidden);
        return t(be.binary(BinaryOp.ADD, a, s, b, s, s));
    }

    private Storage[] forward(Storage xp, Storage whh, Storage bhh, Storage[] init) {
        int n = kind.states();
        Storage[] parts = new Storage[n * steps];          // h_0..h_{T-1}, then c_0..c_{T-1}
        Storage h = init[0], c = n > 1 ? init[1] : null;
        for (int i = 0; i < steps; i++) {
            int t = reverse ? steps - 1 - i : i;
            Storage x = xpAt(xp, t), hw = hidden(h, whh, kind == CellKind.GRU ? bhh : null);
            switch (kind) {
                case TANH, RELU -> h = be.unary(kind == CellKind.TANH ? UnaryOp.TANH : UnaryOp.RELU, add(x, hw));
                case LSTM -> {
                    Storage hc = t(be.lstmCell(add(x, hw), c, batch, hidden));
                    h = be.slice(hc, batch, 2 * hidden, 1, 0, hidden);
                    c = be.slice(hc, batch, 2 * hidden, 1, hidden, hidden);
                    parts[steps + t] = c;
                }
                case GRU -> h = be.gruCell(x, hw, h, batch, hidden);
            }
            parts[t] = h;
            releaseTemps();
        }
        int[] sizes = new int[parts.length];
        Arrays.fill(sizes, bh);
        Storage out = be.concat(List.of(parts), 1, sizes, 1);
        for (Storage p : parts) p.release();
        return new Storage[] {out, null};
    }

    private Storage[] backward(Storage xp, Storage whh, Storage bhh, Storage[] init, Storage out, Storage grad) {
        int n = kind.states();
        Storage[] dxp = new Storage[steps];
        Storage dwhh = zeros(whh, gh * hidden), dbhh = kind.hiddenBias() ? zeros(whh, gh) : null;
        Storage dh = zeros(whh, bh), dc = n > 1 ? zeros(whh, bh) : null;
        for (int i = 0; i < steps; i++) {
            int t = reverse ? i : steps - 1 - i;                // the forward order, backwards
            boolean first = reverse ? t == steps - 1 : t == 0;
            int prev = reverse ? t + 1 : t - 1;
            Storage hPrev = first ? init[0] : state(out, prev);
            Storage dhT = addState(state(grad, t), dh);
            Storage x = xpAt(xp, t), hw = hidden(hPrev, whh, kind == CellKind.GRU ? bhh : null);
            Storage dGates;                                     // the gradient of the hidden-side product (before b_hh)
            Storage direct = null;                              // GRU: the part of dh_prev that skips W_hh
            switch (kind) {
                case TANH, RELU -> {
                    Storage h = state(out, t);
                    Storage slope = kind == CellKind.TANH
                            ? t(be.scalar(ScalarOp.RSUB, t(be.binary(BinaryOp.MUL, h, rows, h, rows, rows)), 1.0))
                            : t(be.unary(UnaryOp.STEP, h));
                    dGates = be.binary(BinaryOp.MUL, dhT, rows, slope, rows, rows);
                    dxp[t] = dGates;
                }
                case LSTM -> {
                    Storage cPrev = first ? init[1] : state(out, steps + prev);
                    Storage dcT = addState(state(grad, steps + t), dc);
                    Storage both = t(be.concat(List.of(dhT, dcT), batch, new int[] {hidden, hidden}, 1));
                    Storage d = t(be.lstmCellBackward(add(x, hw), cPrev, both, batch, hidden));
                    dGates = be.slice(d, batch, 5 * hidden, 1, 0, gh);
                    dxp[t] = dGates;
                    dc.release();
                    dc = be.slice(d, batch, 5 * hidden, 1, gh, hidden);
                }
                case GRU -> {
                    Storage d = t(be.gruCellBackward(x, hw, hPrev, dhT, batch, hidden));
                    dxp[t] = be.slice(d, batch, 7 * hidden, 1, 0, gh);
                    dGates = t(be.slice(d, batch, 7 * hidden, 1, gh, gh));
                    direct = cols(d, 7 * hidden, 2 * gh, hidden);
                    be.axpy(1.0, t(be.reduce(ReduceOp.SUM, dGates, 1, batch, gh)), dbhh);
                }
                default -> throw new IllegalArgumentException("recurrence: unknown cell kind " + kind);
            }
            be.axpy(1.0, t(be.matmul(dGates, true, 0, hPrev, false, 0, 1, gh, hidden, batch)), dwhh);
            dh.release();
            dh = be.matmul(dGates, false, 0, whh, false, 0, 1, batch, hidden, gh);
            if (direct != null) be.axpy(1.0, direct, dh);
            releaseTemps();
        }
        int[] sizes = new int[steps];
        Arrays.fill(sizes, batch * gh);
        Storage dx = be.concat(List.of(dxp), 1, sizes, 1);
        for (Storage s : dxp) s.release();
        return n > 1 ? new Storage[] {dx, dwhh, dbhh, dh, dc} : new Storage[] {dx, dwhh, dbhh, dh};
    }

    private Storage zeros(Storage like, int size) { return be.full(like.dtype(), size, 0.0); }
}
