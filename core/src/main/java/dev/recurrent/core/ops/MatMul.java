package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * c = op(a)·op(b), op = transpose when its flag is set (passed to the kernel, never copied).
 * a:[m,k] (or [k,m] transposed), b:[k,n] (or [n,k]) -> c:[m,n]; either operand may carry a leading batch
 * dimension [B,..] (a 2-D operand, or a batch of 1, is shared by every product) -> c:[B,m,n].
 * VJP (no flags): da = dc·bᵀ, db = aᵀ·dc, each summed over a shared operand's batch; the flagged cases
 * use the matching flags so no transpose is ever materialised; an operand that does not require grad gets
 * none (null), so its product is never computed.  Saves a and b.
 */
public final class MatMul implements Op {
    private final boolean ta, tb;

    public MatMul(boolean transA, boolean transB) {
        this.ta = transA;
        this.tb = transB;
    }

    @Override public String name() { return "matmul"; }

    @Override public Shape shape(Shape... in) {
        Shape a = in[0], b = in[1];
        ShapeException.require(a.rank() >= 2 && a.rank() <= 3 && b.rank() >= 2 && b.rank() <= 3, "matmul",
                "operands must be 2-D or 3-D", a, b);
        int k1 = a.dim(ta ? -2 : -1), k2 = b.dim(tb ? -1 : -2);
        ShapeException.require(k1 == k2, "matmul", "inner dimensions must match (a[" + (ta ? -2 : -1) + "] == b[" + (tb ? -1 : -2) + "])", a, b);
        int ba = a.rank() == 3 ? a.dim(0) : 1, bb = b.rank() == 3 ? b.dim(0) : 1;
        ShapeException.require(ba == bb || ba == 1 || bb == 1, "matmul", "batch dimensions must match or be 1", a, b);
        int m = a.dim(ta ? -1 : -2), n = b.dim(tb ? -2 : -1);
        return a.rank() == 2 && b.rank() == 2 ? Shape.of(m, n) : Shape.of(Math.max(ba, bb), m, n);
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        Shape a = in[0].shape(), b = in[1].shape();
        int m = out.dim(-2), n = out.dim(-1), k = a.dim(ta ? -2 : -1);
        int batch = out.rank() == 3 ? out.dim(0) : 1;
        long aStride = a.rank() == 3 && a.dim(0) > 1 ? (long) m * k : 0;
        long bStride = b.rank() == 3 && b.dim(0) > 1 ? (long) k * n : 0;
        return be.matmul(in[0].storage(), ta, aStride, in[1].storage(), tb, bStride, batch, m, n, k);
    }

    @Override public Tensor[] vjp(Tensor g, Tensor c, Tensor... in) {
        // An operand that needs no gradient (the data of an input projection: as big a product as the
        // weight's gradient) gets none.
        Tensor a = in[0], b = in[1];
        Tensor da = null, db = null;
        if (a.requiresGrad()) {
            if (!ta) da = tb ? Tensor.matmul(g, false, b, false) : Tensor.matmul(g, false, b, true);
            else da = tb ? Tensor.matmul(b, true, g, true) : Tensor.matmul(b, false, g, true);
            da = da.sumTo(a.shape());
        }
        if (b.requiresGrad()) {
            if (!tb) db = ta ? Tensor.matmul(a, false, g, false) : Tensor.matmul(a, true, g, false);
            else db = ta ? Tensor.matmul(g, true, a, true) : Tensor.matmul(g, true, a, false);
            db = db.sumTo(b.shape());
        }
        return new Tensor[] {da, db};
    }
}
