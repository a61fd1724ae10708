package dev.recurrent.backend.cpu;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.RecurrenceDefaults;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * The pure-Java backend, {@code java}: heap storage ({@link CpuStorage}), the loops of
 * {@link BufferKernels}, and a blocked, multi-threaded matrix product ({@link Gemm}). Runs everywhere;
 * the thread count is {@code -Drnn.java.threads}, else the number of processors: products split over a
 * pool of that many threads, whole sequences ({@link RecurrenceKernels}) split their batch over a
 * {@link Crew} of that many.
 */
public final class CpuBackend implements Backend {
    public static final String NAME = "java";

    private final Parallel parallel;
    private final HeapGemm gemm;

    /** Threads from {@code -Drnn.java.threads}, else the number of available processors. */
    public CpuBackend() { this(Parallel.threadsFromProperty()); }

    /** A backend whose matrix products use up to {@code threads} threads (1: the caller's only). */
    public CpuBackend(int threads) {
        this.parallel = new Parallel(threads);
        this.gemm = new HeapGemm(parallel);
    }

    public int threads() { return parallel.threads(); }

    @Override public String name() { return NAME; }

    @Override public String describe() {
        return NAME + " (pure Java kernels, " + threads() + (threads() == 1 ? " thread)" : " threads)");
    }

    @Override public String toString() { return describe(); }

    // ---- memory -----------------------------------------------------------------------------------

    @Override public Storage full(DType dtype, int size, double value) {
        CpuStorage s = CpuStorage.allocate(this, dtype, size);
        if (Double.doubleToRawLongBits(value) != 0) {                     // new arrays already hold +0.0
            if (dtype == DType.F32) BufferKernels.fill(s.floats(), size, value);
            else BufferKernels.fill(s.doubles(), size, value);
        }
        return s;
    }

    @Override public Storage fromArray(DType dtype, double[] data) {
        CpuStorage s = CpuStorage.allocate(this, dtype, data.length);
        if (dtype == DType.F32) BufferKernels.fromArray(data, s.floats());
        else BufferKernels.fromArray(data, s.doubles());
        return s;
    }

    @Override public Storage fromArray(DType dtype, float[] data) {
        CpuStorage s = CpuStorage.allocate(this, dtype, data.length);
        if (dtype == DType.F32) BufferKernels.fromArray(data, s.floats());
        else BufferKernels.fromArray(data, s.doubles());
        return s;
    }

    @Override public double[] toDoubleArray(Storage s) {
        CpuStorage x = cpu(s);
        return x.dtype() == DType.F32 ? BufferKernels.toDoubleArray(x.floats(), x.size()) : x.doubleArray().clone();
    }

    @Override public float[] toFloatArray(Storage s) {
        CpuStorage x = cpu(s);
        return x.dtype() == DType.F32 ? x.floatArray().clone() : BufferKernels.toFloatArray(x.doubles(), x.size());
    }

    @Override public Storage cast(Storage s, DType to) {
        CpuStorage x = cpu(s);
        CpuStorage out = CpuStorage.allocate(this, to, x.size());
        if (x.dtype() == DType.F32) {
            if (to == DType.F32) BufferKernels.copy(x.floats(), out.floats(), x.size());
            else BufferKernels.convert(x.floats(), out.doubles(), x.size());
        } else {
            if (to == DType.F64) BufferKernels.copy(x.doubles(), out.doubles(), x.size());
            else BufferKernels.convert(x.doubles(), out.floats(), x.size());
        }
        return out;
    }

    @Override public void copyInto(Storage dst, Storage src) {
        CpuStorage d = cpu(dst), s = sameSize(d, sameDtype(d, cpu(src), "copyInto"), "copyInto");
        if (d.dtype() == DType.F32) BufferKernels.copy(s.floats(), d.floats(), d.size());
        else BufferKernels.copy(s.doubles(), d.doubles(), d.size());
    }

    @Override public void addInto(Storage y, int offset, Storage x) {
        CpuStorage cy = cpu(y), cx = sameDtype(cy, cpu(x), "addInto");
        int n = cx.size();
        if (cy.dtype() == DType.F32) {
            java.nio.FloatBuffer a = cx.floats(), b = cy.floats();
            for (int i = 0; i < n; i++) b.put(offset + i, b.get(offset + i) + a.get(i));
        } else {
            java.nio.DoubleBuffer a = cx.doubles(), b = cy.doubles();
            for (int i = 0; i < n; i++) b.put(offset + i, b.get(offset + i) + a.get(i));
        }
    }

    @Override public void axpy(double alpha, Storage x, Storage y) {
        CpuStorage cy = cpu(y), cx = sameSize(cy, sameDtype(cy, cpu(x), "axpy"), "axpy");
        if (cy.dtype() == DType.F32) BufferKernels.axpy(alpha, cx.floats(), cy.floats(), cy.size());
        else BufferKernels.axpy(alpha, cx.doubles(), cy.doubles(), cy.size());
    }

    // ---- elementwise ------------------------------------------------------------------------------

    @Override public Storage unary(UnaryOp op, Storage x) {
        CpuStorage cx = cpu(x), out = like(cx, cx.size());
        if (cx.dtype() == DType.F32) BufferKernels.unary(op, cx.floats(), out.floats(), cx.size());
        else BufferKernels.unary(op, cx.doubles(), out.doubles(), cx.size());
        return out;
    }

    @Override public Storage scalar(ScalarOp op, Storage x, double s) {
        CpuStorage cx = cpu(x), out = like(cx, cx.size());
        if (cx.dtype() == DType.F32) BufferKernels.scalar(op, cx.floats(), s, out.floats(), cx.size());
        else BufferKernels.scalar(op, cx.doubles(), s, out.doubles(), cx.size());
        return out;
    }

    @Override public Storage binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Shape outShape) {
        CpuStorage ca = cpu(a), cb = cpu(b), out = like(ca, outShape.size());
        if (ca.dtype() == DType.F32) BufferKernels.binary(op, ca.floats(), aShape, cb.floats(), bShape, out.floats(), outShape);
        else BufferKernels.binary(op, ca.doubles(), aShape, cb.doubles(), bShape, out.doubles(), outShape);
        return out;
    }

    @Override public Storage where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape, Shape outShape) {
        CpuStorage ca = cpu(a), cb = cpu(b), out = like(ca, outShape.size());
        CpuStorage cc = cpu(cond);
        if (cc.dtype() != ca.dtype()) cc = (CpuStorage) cast(cc, ca.dtype());    // a 0/1 mask converts exactly
        if (ca.dtype() == DType.F32) {
            BufferKernels.where(cc.floats(), condShape, ca.floats(), aShape, cb.floats(), bShape, out.floats(), outShape);
        } else {
            BufferKernels.where(cc.doubles(), condShape, ca.doubles(), aShape, cb.doubles(), bShape, out.doubles(), outShape);
        }
        return out;
    }

    // ---- reductions and layout --------------------------------------------------------------------

    @Override public Storage reduce(ReduceOp op, Storage x, int outer, int n, int inner) {
        CpuStorage cx = cpu(x), out = like(cx, outer * inner);
        if (cx.dtype() == DType.F32) BufferKernels.reduce(op, cx.floats(), outer, n, inner, out.floats());
        else BufferKernels.reduce(op, cx.doubles(), outer, n, inner, out.doubles());
        return out;
    }

    @Override public Storage permute(Storage x, Shape shape, int[] perm) {
        CpuStorage cx = cpu(x), out = like(cx, shape.size());
        if (cx.dtype() == DType.F32) BufferKernels.permute(cx.floats(), shape, perm, out.floats());
        else BufferKernels.permute(cx.doubles(), shape, perm, out.doubles());
        return out;
    }

    @Override public Storage slice(Storage x, int outer, int n, int inner, int start, int len) {
        CpuStorage cx = cpu(x), out = like(cx, outer * len * inner);
        if (cx.dtype() == DType.F32) BufferKernels.slice(cx.floats(), outer, n, inner, start, len, out.floats());
        else BufferKernels.slice(cx.doubles(), outer, n, inner, start, len, out.doubles());
        return out;
    }

    @Override public Storage concat(List<Storage> parts, int outer, int[] sizes, int inner) {
        int total = 0;
        for (int s : sizes) total += s;
        DType dtype = parts.isEmpty() ? DType.F32 : cpu(parts.get(0)).dtype();
        CpuStorage out = CpuStorage.allocate(this, dtype, outer * total * inner);
        if (dtype == DType.F32) {
            FloatBuffer[] bufs = new FloatBuffer[parts.size()];
            for (int p = 0; p < bufs.length; p++) bufs[p] = cpu(parts.get(p)).floats();
            BufferKernels.concat(bufs, outer, sizes, inner, out.floats());
        } else {
            DoubleBuffer[] bufs = new DoubleBuffer[parts.size()];
            for (int p = 0; p < bufs.length; p++) bufs[p] = cpu(parts.get(p)).doubles();
            BufferKernels.concat(bufs, outer, sizes, inner, out.doubles());
        }
        return out;
    }

    // ---- matrix products --------------------------------------------------------------------------

    @Override public Storage matmul(Storage a, boolean transA, long aStride, Storage b, boolean transB, long bStride,
                                    int batch, int m, int n, int k) {
        CpuStorage ca = cpu(a), cb = sameDtype(ca, cpu(b), "matmul");
        requireExtent(ca, aStride, batch, (long) m * k, "a");
        requireExtent(cb, bStride, batch, (long) k * n, "b");
        long outSize = (long) batch * m * n;
        if (outSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("matmul: the result [" + batch + ", " + m + ", " + n + "] has more than 2^31-1 elements");
        }
        CpuStorage out = like(ca, (int) outSize);
        if (ca.dtype() == DType.F32) {
            Gemm.gemm(parallel, ca.floatArray(), 0, transA, aStride, cb.floatArray(), 0, transB, bStride, out.floatArray(), batch, m, n, k);
        } else {
            Gemm.gemm(parallel, ca.doubleArray(), 0, transA, aStride, cb.doubleArray(), 0, transB, bStride, out.doubleArray(), batch, m, n, k);
        }
        return out;
    }

    // ---- rows -------------------------------------------------------------------------------------

    @Override public Storage gatherRows(Storage table, int rows, int cols, int[] ids) {
        CpuStorage t = cpu(table), out = like(t, ids.length * cols);
        if (t.dtype() == DType.F32) BufferKernels.gatherRows(t.floats(), cols, ids, out.floats());
        else BufferKernels.gatherRows(t.doubles(), cols, ids, out.doubles());
        return out;
    }

    @Override public Storage scatterAddRows(Storage src, int cols, int[] ids, int rows) {
        CpuStorage s = cpu(src), out = like(s, rows * cols);
        if (s.dtype() == DType.F32) BufferKernels.scatterAddRows(s.floats(), cols, ids, rows, out.floats());
        else BufferKernels.scatterAddRows(s.doubles(), cols, ids, rows, out.doubles());
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private CpuStorage like(CpuStorage x, int size) { return CpuStorage.allocate(this, x.dtype(), size); }

    private static CpuStorage cpu(Storage s) {
        if (s instanceof CpuStorage c) return c;
        throw new IllegalArgumentException("java backend: cannot use a storage of backend '"
                + (s == null ? "null" : s.backend().name()) + "' (" + s + "); move it to this backend first");
    }

    /** Returns {@code b} after checking it has the dtype of {@code a}. */
    private static CpuStorage sameDtype(CpuStorage a, CpuStorage b, String op) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": storages must share one dtype; got " + a.dtype() + " and " + b.dtype());
        }
        return b;
    }

    /** Returns {@code b} after checking it has the size of {@code a}. */
    private static CpuStorage sameSize(CpuStorage a, CpuStorage b, String op) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException(op + ": storages must have the same size; got " + a.size() + " and " + b.size());
        }
        return b;
    }

    private static void requireExtent(CpuStorage s, long stride, int batch, long matrix, String name) {
        long need = batch == 0 ? 0 : stride * (batch - 1) + matrix;
        if (stride < 0 || need > s.size()) {
            throw new IllegalArgumentException("matmul: " + name + " holds " + s.size() + " elements but " + batch
                    + " matrices of " + matrix + " with stride " + stride + " need " + need);
        }
    }

    // ---- fused recurrent steps: one pass over the memory (FusedKernels) ------------------------------

    @Override public Storage lstmCell(Storage gates, Storage c, int batch, int hidden) {
        CpuStorage g = cpu(gates), cc = cpu(c), out = like(g, 2 * batch * hidden);
        if (g.dtype() == DType.F32) FusedKernels.lstmCell(g.floats(), cc.floats(), out.floats(), batch, hidden);
        else FusedKernels.lstmCell(g.doubles(), cc.doubles(), out.doubles(), batch, hidden);
        return out;
    }

    @Override public Storage lstmCellBackward(Storage gates, Storage c, Storage grad, int batch, int hidden) {
        CpuStorage g = cpu(gates), cc = cpu(c), d = cpu(grad), out = like(g, 5 * batch * hidden);
        if (g.dtype() == DType.F32) FusedKernels.lstmCellBackward(g.floats(), cc.floats(), d.floats(), out.floats(), batch, hidden);
        else FusedKernels.lstmCellBackward(g.doubles(), cc.doubles(), d.doubles(), out.doubles(), batch, hidden);
        return out;
    }

    @Override public Storage gruCell(Storage a, Storage b, Storage h, int batch, int hidden) {
        CpuStorage ca = cpu(a), cb = cpu(b), ch = cpu(h), out = like(ca, batch * hidden);
        if (ca.dtype() == DType.F32) FusedKernels.gruCell(ca.floats(), cb.floats(), ch.floats(), out.floats(), batch, hidden);
        else FusedKernels.gruCell(ca.doubles(), cb.doubles(), ch.doubles(), out.doubles(), batch, hidden);
        return out;
    }

    @Override public Storage gruCellBackward(Storage a, Storage b, Storage h, Storage grad, int batch, int hidden) {
        CpuStorage ca = cpu(a), cb = cpu(b), ch = cpu(h), d = cpu(grad), out = like(ca, 7 * batch * hidden);
        if (ca.dtype() == DType.F32) FusedKernels.gruCellBackward(ca.floats(), cb.floats(), ch.floats(), d.floats(), out.floats(), batch, hidden);
        else FusedKernels.gruCellBackward(ca.doubles(), cb.doubles(), ch.doubles(), d.doubles(), out.doubles(), batch, hidden);
        return out;
    }

    // ---- whole sequences: one product and one pointwise pass per step (RecurrenceKernels) -----------

    @Override public Storage[] recurrence(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                          int steps, int batch, int hidden) {
        RecurrenceKernels.checkForward(NAME, kind, xp, whh, bhh, init, steps, batch, hidden);
        int gh = kind.gates() * hidden, saveSize = RecurrenceKernels.savedSize(kind, steps, batch, hidden);
        CpuStorage x = cpu(xp), b = kind.hiddenBias() ? cpu(bhh) : null;
        // W_hhᵀ [H, G·H] once per call: Gemm would otherwise transpose W_hh for every step's product.
        CpuStorage wt = cpu(permute(cpu(whh), Shape.of(gh, hidden), new int[] {1, 0}));
        CpuStorage out = like(x, kind.states() * steps * batch * hidden), saved = saveSize == 0 ? null : like(x, saveSize);
        if (x.dtype() == DType.F32) {
            FloatBuffer[] h0 = new FloatBuffer[init.length];
            for (int s = 0; s < h0.length; s++) h0[s] = cpu(init[s]).floats();
            RecurrenceKernels.forward(kind, reverse, x.floats(), wt.floats(), true, b == null ? null : b.floats(), h0,
                    out.floats(), saved == null ? null : saved.floats(), steps, batch, hidden, gemm, Crew.shared(threads()));
        } else {
            DoubleBuffer[] h0 = new DoubleBuffer[init.length];
            for (int s = 0; s < h0.length; s++) h0[s] = cpu(init[s]).doubles();
            RecurrenceKernels.forward(kind, reverse, x.doubles(), wt.doubles(), true, b == null ? null : b.doubles(), h0,
                    out.doubles(), saved == null ? null : saved.doubles(), steps, batch, hidden, gemm, Crew.shared(threads()));
        }
        return new Storage[] {out, saved};
    }

    @Override public Storage[] recurrenceBackward(CellKind kind, boolean reverse, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                                  Storage out, Storage saved, Storage grad, int steps, int batch, int hidden) {
        RecurrenceKernels.checkBackward(NAME, kind, xp, whh, bhh, init, out, saved, grad, steps, batch, hidden);
        if (saved == null && RecurrenceKernels.savedSize(kind, steps, batch, hidden) > 0) {
            // Not from this backend's recurrence: recompute step by step.
            return RecurrenceDefaults.backward(this, kind, reverse, xp, whh, bhh, init, out, grad, steps, batch, hidden);
        }
        int gh = kind.gates() * hidden, workSize = RecurrenceKernels.workSize(kind, steps, batch, hidden);
        CpuStorage x = cpu(xp), w = cpu(whh), o = cpu(out), g = cpu(grad), sv = saved == null ? null : cpu(saved);
        CpuStorage dxp = like(x, steps * batch * gh), dw = like(x, gh * hidden), db = kind.hiddenBias() ? like(x, gh) : null;
        CpuStorage work = workSize == 0 ? null : like(x, workSize);
        Storage[] result = new Storage[3 + init.length];
        result[0] = dxp;
        result[1] = dw;
        result[2] = db;
        if (x.dtype() == DType.F32) {
            FloatBuffer[] h0 = new FloatBuffer[init.length], d0 = new FloatBuffer[init.length];
            for (int s = 0; s < h0.length; s++) {
                h0[s] = cpu(init[s]).floats();
                CpuStorage d = like(x, batch * hidden);
                result[3 + s] = d;
                d0[s] = d.floats();
            }
            RecurrenceKernels.backward(kind, reverse, w.floats(), false, h0, o.floats(), sv == null ? null : sv.floats(), g.floats(),
                    dxp.floats(), dw.floats(), db == null ? null : db.floats(), d0, work == null ? null : work.floats(),
                    steps, batch, hidden, gemm, Crew.shared(threads()));
        } else {
            DoubleBuffer[] h0 = new DoubleBuffer[init.length], d0 = new DoubleBuffer[init.length];
            for (int s = 0; s < h0.length; s++) {
                h0[s] = cpu(init[s]).doubles();
                CpuStorage d = like(x, batch * hidden);
                result[3 + s] = d;
                d0[s] = d.doubles();
            }
            RecurrenceKernels.backward(kind, reverse, w.doubles(), false, h0, o.doubles(), sv == null ? null : sv.doubles(), g.doubles(),
                    dxp.doubles(), dw.doubles(), db == null ? null : db.doubles(), d0, work == null ? null : work.doubles(),
                    steps, batch, hidden, gemm, Crew.shared(threads()));
        }
        return result;
    }
}
