package dev.recurrent.core.ops;

import dev.recurrent.core.GradMode;
import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * The elementwise part of a GRU step (PyTorch's variant, reset after the hidden product) as one graph
 * node (the backend's fused {@code gruCell} kernel).
 * <pre>
 *  a:[B, 3H] = x·W_ihᵀ + b_ih,  b:[B, 3H] = h·W_hhᵀ + b_hh (blocks r, z, n),  h:[B, H]
 *  r = σ(a_r + b_r),  z = σ(a_z + b_z),  n = tanh(a_n + r·b_n),  h' = n + z·(h - n)  ->  [B, H]
 * </pre>
 * VJP: dA_n = dh'·(1-z)·(1-n²), dA_z = dh'·(h-n)·z(1-z), dA_r = dA_n·b_n·r(1-r); da = [dA_r, dA_z, dA_n],
 * db = [dA_r, dA_z, dA_n·r], dh = dh'·z. Outside a recorded backward it runs as one fused node
 * ({@link GruPointwiseGrad}); inside one (createGraph) it is written with tensor ops. Saves a, b and h.
 */
public final class GruPointwise implements Op {
    @Override public String name() { return "gruPointwise"; }

    @Override public Shape shape(Shape... in) {
        Shape a = in[0], b = in[1], h = in[2];
        if (!(a.rank() == 2 && h.rank() == 2 && a.equals(b) && a.dim(0) == h.dim(0) && a.dim(1) == 3 * h.dim(1))) {
            throw new ShapeException("gruPointwise: a and b must be [B, 3H] and h [B, H]; got " + a + ", " + b + ", " + h);
        }
        return h;
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.gruCell(in[0].storage(), in[1].storage(), in[2].storage(), out.dim(0), out.dim(1));
    }

    @Override public Tensor[] vjp(Tensor grad, Tensor out, Tensor... in) {
        Tensor a = in[0], b = in[1], h = in[2];
        int w = h.dim(1);
        if (!GradMode.isEnabled()) {
            Tensor d = Tensor.apply(new GruPointwiseGrad(), a, b, h, grad);
            return new Tensor[] {d.slice(1, 0, 3 * w), d.slice(1, 3 * w, 6 * w), d.slice(1, 6 * w, 7 * w)};
        }
        Tensor[] p = a.chunk(3, 1), q = b.chunk(3, 1);
        Tensor r = p[0].add(q[0]).sigmoid(), z = p[1].add(q[1]).sigmoid(), n = p[2].add(r.mul(q[2])).tanh();
        Tensor dAn = grad.mul(z.rsub(1)).mul(n.mul(n).rsub(1));
        Tensor dAz = grad.mul(h.sub(n)).mul(z.mul(z.rsub(1)));
        Tensor dAr = dAn.mul(q[2]).mul(r.mul(r.rsub(1)));
        return new Tensor[] {Tensor.concat(1, dAr, dAz, dAn), Tensor.concat(1, dAr, dAz, dAn.mul(r)), grad.mul(z)};
    }
}
