package dev.recurrent.core.ops;

import dev.recurrent.core.Autograd;
import dev.recurrent.core.GradMode;
import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.Storage;

import java.util.Arrays;
import java.util.List;

/**
 * A whole recurrent sequence as one graph node: the backend's {@code recurrence} kernel forward and its
 * {@code recurrenceBackward} kernel for the VJP (backpropagation through time inside the backend, with
 * the weight gradient as one product over all steps). The math is that of {@link CellKind};
 * {@link #reference} is the same computation as a step-by-step graph of elementary ops, which the fused
 * node is tested against, and which the VJP differentiates when the backward pass is itself recorded
 * (createGraph), so gradients of gradients work.
 * <pre>
 *  inputs:  xp:[T, B, G·H]  (x_t·W_ihᵀ + input-side biases, every step)
 *           whh:[G·H, H],  bhh:[G·H] (GRU only),  h0:[B, H],  c0:[B, H] (LSTM only)
 *  output:  [S, T, B, H]: out[0, t] = h after step t; for LSTM out[1, t] = c after step t
 * </pre>
 * Reversed, steps run from T-1 down to 0 (the state before step T-1 is the initial one). Each instance is
 * applied once: it keeps what the backend saved in the forward pass for its backward, and releases it when
 * autograd frees the node (a backward that does not retain the graph).
 */
public final class Recurrence implements Op {
    private final CellKind kind;
    private final boolean reverse;
    private Tensor saved;
    private boolean applied;

    private Recurrence(CellKind kind, boolean reverse) {
        this.kind = kind;
        this.reverse = reverse;
    }

    /**
     * Runs the cell over the sequence. {@code bhh} must be given for GRU and null otherwise; {@code init}
     * is h0, or h0 and c0 for LSTM.
     */
    public static Tensor apply(CellKind kind, boolean reverse, Tensor xp, Tensor whh, Tensor bhh, Tensor... init) {
        if (kind.hiddenBias() != (bhh != null)) {
            throw new IllegalArgumentException("recurrence(" + kind + "): " + (kind.hiddenBias() ? "needs" : "takes no") + " hidden bias b_hh");
        }
        if (init.length != kind.states()) {
            throw new IllegalArgumentException("recurrence(" + kind + "): needs " + kind.states() + " initial state tensors; got " + init.length);
        }
        return Tensor.apply(new Recurrence(kind, reverse), inputs(xp, whh, bhh, init));
    }

    private static Tensor[] inputs(Tensor xp, Tensor whh, Tensor bhh, Tensor[] init) {
        Tensor[] in = new Tensor[(bhh != null ? 3 : 2) + init.length];
        in[0] = xp;
        in[1] = whh;
        if (bhh != null) in[2] = bhh;
        System.arraycopy(init, 0, in, bhh != null ? 3 : 2, init.length);
        return in;
    }

    @Override public String name() { return "recurrence(" + kind.name().toLowerCase() + ")"; }

    private int firstState() { return kind.hiddenBias() ? 3 : 2; }

    /** b_hh's storage (GRU), else null. */
    private Storage bias(Tensor[] in) { return kind.hiddenBias() ? in[2].storage() : null; }

    /** The initial states' storages. */
    private Storage[] initial(Tensor[] in) {
        Storage[] init = new Storage[kind.states()];
        for (int k = 0; k < init.length; k++) init[k] = in[firstState() + k].storage();
        return init;
    }

    @Override public Shape shape(Shape... in) {
        Shape xp = in[0], whh = in[1];
        ShapeException.require(xp.rank() == 3 && xp.dim(0) > 0, name(), "xp must be [T, B, G·H] with T >= 1", xp);
        ShapeException.require(whh.rank() == 2 && whh.dim(0) == kind.gates() * whh.dim(1), name(),
                "whh must be [" + kind.gates() + "·H, H]", whh);
        int steps = xp.dim(0), batch = xp.dim(1), hidden = whh.dim(1), gh = kind.gates() * hidden;
        ShapeException.require(xp.dim(2) == gh, name(), "xp's last axis must match whh's rows (G·H)", xp, whh);
        if (kind.hiddenBias()) ShapeException.require(in[2].equals(Shape.of(gh)), name(), "bhh must be [" + gh + "]", in[2]);
        for (int k = firstState(); k < in.length; k++) {
            ShapeException.require(in[k].equals(Shape.of(batch, hidden)), name(),
                    "initial state " + (k - firstState()) + " must be [B, H] = [" + batch + ", " + hidden + "]", in[k]);
        }
        return Shape.of(kind.states(), steps, batch, hidden);
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        if (applied) throw new IllegalStateException(name() + ": an instance is applied once (it keeps its forward's saved state)");
        applied = true;
        Storage[] r = be.recurrence(kind, reverse, in[0].storage(), in[1].storage(), bias(in), initial(in),
                out.dim(1), out.dim(2), out.dim(3));
        if (r[1] != null) {
            boolean needed = GradMode.isEnabled() && Arrays.stream(in).anyMatch(Tensor::requiresGrad);
            if (needed) saved = Tensor.wrap(r[1], Shape.of(r[1].size()));
            else r[1].release();
        }
        return r[0];
    }

    @Override public Tensor[] vjp(Tensor grad, Tensor out, Tensor... in) {
        if (GradMode.isEnabled()) {
            Tensor[] init = Arrays.copyOfRange(in, firstState(), in.length);
            Tensor ref = reference(kind, reverse, in[0], in[1], kind.hiddenBias() ? in[2] : null, init);
            return Autograd.partials(ref, List.of(in), grad, true).toArray(new Tensor[0]);
        }
        Backend be = out.backend();
        int steps = out.dim(1), batch = out.dim(2), hidden = out.dim(3);
        Storage[] d = be.recurrenceBackward(kind, reverse, in[0].storage(), in[1].storage(), bias(in), initial(in),
                out.storage(), saved == null ? null : saved.storage(), grad.storage(), steps, batch, hidden);
        Tensor[] g = new Tensor[in.length];
        g[0] = Tensor.wrap(d[0], in[0].shape());
        g[1] = Tensor.wrap(d[1], in[1].shape());
        if (kind.hiddenBias()) g[2] = Tensor.wrap(d[2], in[2].shape());
        else if (d[2] != null) d[2].release();
        for (int k = 0; k < kind.states(); k++) g[firstState() + k] = Tensor.wrap(d[3 + k], in[firstState() + k].shape());
        return g;
    }

    /** Releases what the backend saved for the backward, once autograd has freed this node. */
    @Override public void freeSaved() {
        if (saved != null) {
            saved.storage().release();
            saved = null;
        }
    }

    /**
     * The same computation as {@link #apply}, step by step with elementary tensor ops (matmul, add,
     * sigmoid, tanh, mul, ...): the reference the fused node is checked against.
     */
    public static Tensor reference(CellKind kind, boolean reverse, Tensor xp, Tensor whh, Tensor bhh, Tensor... init) {
        int steps = xp.dim(0), hidden = whh.dim(1);
        Tensor h = init[0], c = kind == CellKind.LSTM ? init[1] : null;
        Tensor[] hs = new Tensor[steps], cs = new Tensor[steps];
        for (int i = 0; i < steps; i++) {
            int t = reverse ? steps - 1 - i : i;
            Tensor x = xp.slice(0, t, t + 1).reshape(xp.dim(1), xp.dim(2));
            Tensor hw = Tensor.matmul(h, false, whh, true);
            switch (kind) {
                case TANH -> h = x.add(hw).tanh();
                case RELU -> h = x.add(hw).relu();
                case LSTM -> {
                    Tensor[] q = x.add(hw).chunk(4, 1);
                    Tensor ig = q[0].sigmoid(), fg = q[1].sigmoid(), gg = q[2].tanh(), og = q[3].sigmoid();
                    c = fg.mul(c).add(ig.mul(gg));
                    h = og.mul(c.tanh());
                    cs[t] = c;
                }
                case GRU -> {
                    Tensor[] a = x.chunk(3, 1), b = hw.add(bhh).chunk(3, 1);
                    Tensor r = a[0].add(b[0]).sigmoid(), z = a[1].add(b[1]).sigmoid();
                    Tensor n = a[2].add(r.mul(b[2])).tanh();
                    h = n.add(z.mul(h.sub(n)));
                }
            }
            hs[t] = h;
        }
        Tensor hAll = Tensor.stack(0, hs);
        return kind == CellKind.LSTM ? Tensor.stack(0, hAll, Tensor.stack(0, cs)) : hAll.reshape(1, steps, xp.dim(1), hidden);
    }
}
