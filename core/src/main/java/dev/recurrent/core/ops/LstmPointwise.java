package dev.recurrent.core.ops;

import dev.recurrent.core.GradMode;
import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/**
 * The elementwise part of an LSTM step as one graph node (the backend's fused {@code lstmCell} kernel).
 * <pre>
 *  gates:[B, 4H] = pre-activations of blocks i, f, g, o;  c:[B, H]
 *  c' = σ(f)·c + σ(i)·tanh(g),  h' = σ(o)·tanh(c')  ->  out:[B, 2H], row = [h' | c']
 * </pre>
 * VJP, with dh', dc' the halves of the incoming gradient and tc = tanh(c'):
 * dct = dc' + dh'·σ(o)·(1 - tc²); dI = dct·g·i(1-i), dF = dct·c·f(1-f), dG = dct·i·(1-g²), dO = dh'·tc·o(1-o),
 * dc = dct·f (i, f, g, o the activated gates). Outside a recorded backward it runs as one more fused node
 * ({@link LstmPointwiseGrad}, the backend's {@code lstmCellBackward}); when the backward pass is itself
 * recorded (createGraph) it is written with tensor ops, so gradients of gradients work. Saves gates and c
 * (the activations are recomputed).
 */
public final class LstmPointwise implements Op {
    @Override public String name() { return "lstmPointwise"; }

    @Override public Shape shape(Shape... in) {
        Shape g = in[0], c = in[1];
        ShapeException.require(g.rank() == 2 && c.rank() == 2 && g.dim(0) == c.dim(0) && g.dim(1) == 4 * c.dim(1), "lstmPointwise",
                "gates must be [B, 4H] and c [B, H]", g, c);
        return Shape.of(c.dim(0), 2 * c.dim(1));
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.lstmCell(in[0].storage(), in[1].storage(), in[1].dim(0), in[1].dim(1));
    }

    @Override public Tensor[] vjp(Tensor grad, Tensor out, Tensor... in) {
        Tensor gates = in[0], c = in[1];
        int h = c.dim(1);
        if (!GradMode.isEnabled()) {
            Tensor d = Tensor.apply(new LstmPointwiseGrad(), gates, c, grad);
            return new Tensor[] {d.slice(1, 0, 4 * h), d.slice(1, 4 * h, 5 * h)};
        }
        Tensor[] q = gates.chunk(4, 1);
        Tensor i = q[0].sigmoid(), f = q[1].sigmoid(), g = q[2].tanh(), o = q[3].sigmoid();
        Tensor tc = f.mul(c).add(i.mul(g)).tanh();
        Tensor dh = grad.slice(1, 0, h), dc2 = grad.slice(1, h, 2 * h);
        Tensor dct = dc2.add(dh.mul(o).mul(tc.mul(tc).rsub(1)));
        Tensor dGates = Tensor.concat(1, dct.mul(g).mul(i.mul(i.rsub(1))), dct.mul(c).mul(f.mul(f.rsub(1))),
                dct.mul(i).mul(g.mul(g).rsub(1)), dh.mul(tc).mul(o.mul(o.rsub(1))));
        return new Tensor[] {dGates, dct.mul(f)};
    }
}
