package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/** y = x viewed with another shape of the same size (shares storage).  VJP: dx = reshape(dy, x.shape).  Saves nothing. */
public final class Reshape implements Op {
    private final Shape target;

    public Reshape(Shape target) { this.target = target; }

    /** Resolves one -1 dimension against {@code from}'s size, or fails naming both shapes. */
    public static Shape resolve(Shape from, int... dims) {
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (unknown >= 0) throw new ShapeException("reshape: only one dimension may be -1; got " + java.util.Arrays.toString(dims));
                unknown = i;
            } else if (dims[i] < 0) {
                throw new ShapeException("reshape: dimensions must be >= 0 or -1; got " + java.util.Arrays.toString(dims));
            } else {
                known *= dims[i];
            }
        }
        int[] d = dims.clone();
        if (unknown >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw new ShapeException("reshape: cannot infer -1 for " + from + " (" + from.size() + " elements) into " + java.util.Arrays.toString(dims));
            }
            d[unknown] = (int) (from.size() / known);
        }
        Shape s = Shape.of(d);
        if (s.size() != from.size()) {
            throw new ShapeException("reshape: sizes must match; got " + from + " (" + from.size() + " elements) to " + s + " (" + s.size() + ")");
        }
        return s;
    }

    @Override public String name() { return "reshape"; }

    @Override public Shape shape(Shape... in) {
        ShapeException.require(in[0].size() == target.size(), "reshape", "sizes must match", in[0], target);
        return target;
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) { return in[0].storage(); }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) { return new Tensor[] {g.reshape(in[0].shape().dims())}; }
}
