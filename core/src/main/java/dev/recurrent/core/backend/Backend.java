package dev.recurrent.core.backend;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;

import java.util.List;

/**
 * The kernel contract. A backend owns memory and computes; it holds no gradient code (every VJP lives in
 * core and is written with tensor ops, so a new backend inherits every gradient).
 *
 * <p>Core validates shapes, dtypes and indices before calling a kernel, so kernels may assume valid
 * arguments. All storages passed to one call come from this backend and share one dtype unless stated.
 * Every kernel returns a new storage unless it says it writes in place. Implementations must be safe to
 * call from several threads at once on different storages.
 */
public interface Backend {
    /** The name used for selection ({@code java}, {@code openblas}, ...). */
    String name();

    /** One line for reports: name, BLAS vendor and version if any, thread count. */
    String describe();

    // ---- memory -----------------------------------------------------------------------------------

    /** A new storage of {@code size} elements, all {@code value}. */
    Storage full(DType dtype, int size, double value);

    /** A new storage holding {@code data} converted to {@code dtype}. */
    Storage fromArray(DType dtype, double[] data);

    /** A new storage holding {@code data} converted to {@code dtype}. */
    Storage fromArray(DType dtype, float[] data);

    double[] toDoubleArray(Storage s);

    float[] toFloatArray(Storage s);

    /** A copy converted to {@code to} (a plain copy when the dtype is the same). */
    Storage cast(Storage s, DType to);

    /** In place: overwrites {@code dst} with {@code src} (same size and dtype). */
    void copyInto(Storage dst, Storage src);

    /** In place: {@code y += alpha * x} (same size and dtype). */
    void axpy(double alpha, Storage x, Storage y);

    /**
     * In place: {@code y[offset + i] += x[i]} for every element of {@code x} (a contiguous window of
     * {@code y}; same dtype). Used to accumulate the gradient of a contiguous slice (a time step of a
     * sequence) without padding it to the whole. The default rebuilds {@code y} with the kernels above;
     * a backend should override it with a loop over the window.
     */
    default void addInto(Storage y, int offset, Storage x) {
        int n = y.size(), len = x.size();
        Shape w = Shape.of(len);
        Storage window = slice(y, 1, n, 1, offset, len);
        Storage sum = binary(BinaryOp.ADD, window, w, x, w, w);
        window.release();
        Storage head = slice(y, 1, n, 1, 0, offset), tail = slice(y, 1, n, 1, offset + len, n - offset - len);
        Storage whole = concat(List.of(head, sum, tail), 1, new int[] {offset, len, n - offset - len}, 1);
        copyInto(y, whole);
        for (Storage s : new Storage[] {head, sum, tail, whole}) s.release();
    }

    /**
     * A new storage of {@code size} elements (of x's dtype): {@code x} at {@code [offset, offset + x.size())},
     * zeros elsewhere. The gradient of a contiguous slice when it is the first to reach the sliced tensor
     * (autograd then adds any later ones into it with {@link #addInto}). The default is {@link #full} and
     * {@link #addInto} (so a -0.0 of x comes out +0.0, as zeros plus x); a backend may write the window once
     * instead of zeroing it and adding into it.
     *
     * @throws IllegalArgumentException when the window does not fit in {@code size}
     */
    default Storage placed(Storage x, int size, int offset) {
        checkWindow(name(), x, size, offset);
        Storage y = full(x.dtype(), size, 0.0);
        try {
            addInto(y, offset, x);
        } catch (RuntimeException | Error e) {
            y.release();
            throw e;
        }
        return y;
    }

    /** {@link #placed}'s arguments: the window {@code [offset, offset + x.size())} inside {@code [0, size)}. */
    static void checkWindow(String backend, Storage x, int size, int offset) {
        if (offset < 0 || size < 0 || (long) offset + x.size() > size) {
            throw new IllegalArgumentException(backend + " placed: a window of " + x.size() + " elements at offset " + offset
                    + " does not fit in " + size + " elements");
        }
    }

    // ---- elementwise ------------------------------------------------------------------------------

    Storage unary(UnaryOp op, Storage x);

    Storage scalar(ScalarOp op, Storage x, double s);

    /** {@code out = a op b} with NumPy broadcasting of {@code aShape} and {@code bShape} to {@code outShape}. */
    Storage binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Shape outShape);

    /** {@code out = cond != 0 ? a : b}, all three broadcast to {@code outShape}. */
    Storage where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape, Shape outShape);

    // ---- reductions and layout --------------------------------------------------------------------

    /** {@code x} viewed as {@code [outer, n, inner]}; reduces the middle axis to {@code [outer, inner]}. */
    Storage reduce(ReduceOp op, Storage x, int outer, int n, int inner);

    /** Permutes the axes of {@code x} (of {@code shape}): output axis i is input axis {@code perm[i]}. */
    Storage permute(Storage x, Shape shape, int[] perm);

    /** {@code x} viewed as {@code [outer, n, inner]}; returns {@code x[:, start:start+len, :]}. */
    Storage slice(Storage x, int outer, int n, int inner, int start, int len);

    /** Concatenates parts viewed as {@code [outer, sizes[i], inner]} along the middle axis. */
    Storage concat(List<Storage> parts, int outer, int[] sizes, int inner);

    // ---- matrix products --------------------------------------------------------------------------

    /**
     * {@code batch} products {@code C_i = op(A_i) · op(B_i)}, C_i of {@code [m, n]}, inner dimension
     * {@code k}. A_i starts at element {@code i * aStride} of {@code a} and is stored {@code [m, k]}, or
     * {@code [k, m]} when {@code transA}; likewise B_i at {@code i * bStride}, {@code [k, n]} or
     * {@code [n, k]} when {@code transB}. A stride of 0 reuses one matrix for every product. The result
     * is {@code [batch, m, n]}, contiguous.
     */
    Storage matmul(Storage a, boolean transA, long aStride, Storage b, boolean transB, long bStride,
                   int batch, int m, int n, int k);

    /**
     * {@code op(A)·op(B) + bias}: one product as {@link #matmul} ({@code batch} 1), C of {@code [m, n]}, with
     * {@code bias:[n]} added to every row (a linear layer with its bias; PyTorch's {@code addmm}). A backend
     * may start C from the bias and accumulate the product into it, saving a pass over C; the default is
     * {@link #matmul} then a broadcast {@link #binary} add.
     */
    default Storage matmulBias(Storage a, boolean transA, Storage b, boolean transB, Storage bias, int m, int n, int k) {
        Storage product = matmul(a, transA, 0, b, transB, 0, 1, m, n, k);
        try {
            return binary(BinaryOp.ADD, product, Shape.of(m, n), bias, Shape.of(n), Shape.of(m, n));
        } finally {
            product.release();
        }
    }

    // ---- rows -------------------------------------------------------------------------------------

    /** {@code table} of {@code [rows, cols]}; returns {@code [ids.length, cols]} with row i = table[ids[i]]. */
    Storage gatherRows(Storage table, int rows, int cols, int[] ids);

    /** {@code src} of {@code [ids.length, cols]}; returns zeros {@code [rows, cols]} with src row i added to row ids[i]. */
    Storage scatterAddRows(Storage src, int cols, int[] ids, int rows);

    // ---- fused recurrent steps (optional: the defaults compose the kernels above) ------------------

    /**
     * One LSTM step after the gate products. {@code gates:[batch, 4*hidden]} holds the pre-activations of
     * the blocks i, f, g, o; {@code c:[batch, hidden]}. Returns {@code [batch, 2*hidden]}, row b =
     * {@code [h' | c']} with {@code c' = σ(f)·c + σ(i)·tanh(g)}, {@code h' = σ(o)·tanh(c')}.
     */
    default Storage lstmCell(Storage gates, Storage c, int batch, int hidden) {
        return FusedDefaults.lstm(this, gates, c, batch, hidden);
    }

    /**
     * The backward of {@link #lstmCell}: given {@code grad:[batch, 2*hidden]} = {@code [dh' | dc']}, returns
     * {@code [batch, 5*hidden]} = {@code [dgates (4*hidden) | dc (hidden)]}. Recomputes the activations.
     */
    default Storage lstmCellBackward(Storage gates, Storage c, Storage grad, int batch, int hidden) {
        return FusedDefaults.lstmBackward(this, gates, c, grad, batch, hidden);
    }

    /**
     * One GRU step after the gate products (PyTorch's variant). {@code a:[batch, 3*hidden]} =
     * {@code x·W_ihᵀ + b_ih}, {@code b:[batch, 3*hidden]} = {@code h·W_hhᵀ + b_hh} (blocks r, z, n),
     * {@code h:[batch, hidden]}. Returns {@code h' = n + σ(a_z+b_z)·(h - n)}, {@code n = tanh(a_n + σ(a_r+b_r)·b_n)}.
     */
    default Storage gruCell(Storage a, Storage b, Storage h, int batch, int hidden) {
        return FusedDefaults.gru(this, a, b, h, batch, hidden);
    }

    /**
     * The backward of {@link #gruCell}: given {@code grad:[batch, hidden]} = dh', returns
     * {@code [batch, 7*hidden]} = {@code [da (3*hidden) | db (3*hidden) | dh (hidden)]}.
     */
    default Storage gruCellBackward(Storage a, Storage b, Storage h, Storage grad, int batch, int hidden) {
        return FusedDefaults.gruBackward(this, a, b, h, grad, batch, hidden);
    }

    // ---- whole sequences (optional: the defaults loop over steps with the kernels above) ------------

    /**
     * A whole sequence of a recurrent cell (see {@link CellKind} for the math) after the input products:
     * {@code xp:[T, B, G·H]}, {@code whh:[G·H, H]}, {@code bhh:[G·H]} for GRU (null otherwise), and
     * {@code init} the S initial states {@code [B, H]} (h; for LSTM h then c). Steps run t = 0..T-1, or
     * T-1..0 when {@code reverse} (the state before step T-1 is then {@code init}).
     *
     * <p>Returns {@code {out, saved}}: {@code out:[S, T, B, H]} with {@code out[0, t]} = h after step t
     * (and for LSTM {@code out[1, t]} = c after step t); {@code saved} is whatever this backend's
     * {@link #recurrenceBackward} wants kept from the forward pass (any size, or null). It is opaque to
     * callers and only ever passed back to the same backend.
     */
    default Storage[] recurrence(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                 int steps, int batch, int hidden) {
        return RecurrenceDefaults.forward(this, kind, reverse, xp, whh, bhh, init, steps, batch, hidden);
    }

    /**
     * The backward of {@link #recurrence} given {@code grad:[S, T, B, H]} (the gradient of {@code out}) and
     * the forward's {@code out} and {@code saved}. Returns {@code {dxp [T, B, G·H], dwhh [G·H, H], dbhh [G·H]
     * (GRU; null otherwise), d init[0], ..., d init[S-1]}}.
     */
    default Storage[] recurrenceBackward(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                         Storage out, Storage saved, Storage grad, int steps, int batch, int hidden) {
        return RecurrenceDefaults.backward(this, kind, reverse, xp, whh, bhh, init, out, grad, steps, batch, hidden);
    }
}
