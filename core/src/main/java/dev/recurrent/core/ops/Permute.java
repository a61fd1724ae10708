package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

import java.util.Arrays;

/** y = x with axes reordered: y axis i is x axis perm[i] (transpose is a swap).  VJP: dx = permute(dy, inverse(perm)).  Saves nothing. */
public final class Permute implements Op {
    private final int[] perm;

    public Permute(int... perm) { this.perm = perm.clone(); }

    @Override public String name() { return "permute"; }

    @Override public Shape shape(Shape... in) {
        Shape x = in[0];
        boolean[] used = new boolean[x.rank()];
        boolean ok = perm.length == x.rank();
        for (int i = 0; ok && i < perm.length; i++) {
            ok = perm[i] >= 0 && perm[i] < x.rank() && !used[perm[i]];
            if (ok) used[perm[i]] = true;
        }
        ShapeException.require(ok, "permute", "needs a permutation of 0.." + (x.rank() - 1) + ", got " + Arrays.toString(perm), x);
        int[] d = new int[perm.length];
        for (int i = 0; i < perm.length; i++) d[i] = x.dim(perm[i]);
        return Shape.of(d);
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) { return be.permute(in[0].storage(), in[0].shape(), perm); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
        return new Tensor[] {g.permute(inverse)};
    }
}
