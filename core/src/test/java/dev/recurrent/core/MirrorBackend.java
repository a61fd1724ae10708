package dev.recurrent.core;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.ReduceOp;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.core.backend.UnaryOp;

import java.util.ArrayList;
import java.util.List;

/**
 * A second, distinct backend for the contract kit: runs every kernel on the backend under test, but owns
 * its storages (wrapped), so tensors on it are on another backend as far as core can tell. Used to check
 * {@code tensor.to(backend)} round trips (and their gradients) and the mixed-backend error.
 */
public final class MirrorBackend implements Backend {
    private final Backend inner;

    public MirrorBackend(Backend inner) { this.inner = inner; }

    private record Mirrored(Storage inner, MirrorBackend backend) implements Storage {
        @Override public dev.recurrent.core.DType dtype() { return inner.dtype(); }
        @Override public int size() { return inner.size(); }
        @Override public void release() { inner.release(); }
        @Override public boolean released() { return inner.released(); }
    }

    private Storage wrap(Storage s) { return new Mirrored(s, this); }

    private static Storage in(Storage s) {
        if (!(s instanceof Mirrored m)) throw new IllegalStateException("mirror: a storage of another backend was passed to a kernel: " + s);
        return m.inner();
    }

    @Override public String name() { return "mirror(" + inner.name() + ")"; }
    @Override public String describe() { return "mirror of " + inner.describe(); }
    @Override public Storage full(DType dtype, int size, double value) { return wrap(inner.full(dtype, size, value)); }
    @Override public Storage fromArray(DType dtype, double[] data) { return wrap(inner.fromArray(dtype, data)); }
    @Override public Storage fromArray(DType dtype, float[] data) { return wrap(inner.fromArray(dtype, data)); }
    @Override public double[] toDoubleArray(Storage s) { return inner.toDoubleArray(in(s)); }
    @Override public float[] toFloatArray(Storage s) { return inner.toFloatArray(in(s)); }
    @Override public Storage cast(Storage s, DType to) { return wrap(inner.cast(in(s), to)); }
    @Override public void copyInto(Storage dst, Storage src) { inner.copyInto(in(dst), in(src)); }
    @Override public void axpy(double alpha, Storage x, Storage y) { inner.axpy(alpha, in(x), in(y)); }
    @Override public Storage unary(UnaryOp op, Storage x) { return wrap(inner.unary(op, in(x))); }
    @Override public Storage scalar(ScalarOp op, Storage x, double s) { return wrap(inner.scalar(op, in(x), s)); }

    @Override public Storage binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Shape outShape) {
        return wrap(inner.binary(op, in(a), aShape, in(b), bShape, outShape));
    }

    @Override public Storage where(Storage c, Shape cs, Storage a, Shape as, Storage b, Shape bs, Shape out) {
        return wrap(inner.where(in(c), cs, in(a), as, in(b), bs, out));
    }

    @Override public Storage reduce(ReduceOp op, Storage x, int outer, int n, int inner2) { return wrap(inner.reduce(op, in(x), outer, n, inner2)); }
    @Override public Storage permute(Storage x, Shape shape, int[] perm) { return wrap(inner.permute(in(x), shape, perm)); }

    @Override public Storage slice(Storage x, int outer, int n, int inner2, int start, int len) {
        return wrap(inner.slice(in(x), outer, n, inner2, start, len));
    }

    @Override public Storage concat(List<Storage> parts, int outer, int[] sizes, int inner2) {
        List<Storage> p = new ArrayList<>();
        for (Storage s : parts) p.add(in(s));
        return wrap(inner.concat(p, outer, sizes, inner2));
    }

    @Override public Storage matmul(Storage a, boolean transA, long aStride, Storage b, boolean transB, long bStride, int batch, int m, int n, int k) {
        return wrap(inner.matmul(in(a), transA, aStride, in(b), transB, bStride, batch, m, n, k));
    }

    @Override public Storage gatherRows(Storage table, int rows, int cols, int[] ids) { return wrap(inner.gatherRows(in(table), rows, cols, ids)); }
    @Override public Storage scatterAddRows(Storage src, int cols, int[] ids, int rows) { return wrap(inner.scatterAddRows(in(src), cols, ids, rows)); }
}
