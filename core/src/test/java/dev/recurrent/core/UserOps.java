package dev.recurrent.core;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BinaryOp;
import dev.recurrent.core.backend.Storage;

/**
 * Ops defined outside core, as a user would: a correct one and a deliberately wrong one, so the kit can
 * show that GradCheck passes the first and catches (and locates) the bug in the second.
 */
public final class UserOps {
    private UserOps() { }

    /** y = x³.  VJP: dx = 3x²·dy.  Saves x. */
    public static final class Cube implements Op {
        @Override public String name() { return "cube"; }

        @Override public Shape shape(Shape... in) { return in[0]; }

        @Override public Storage forward(Backend be, Shape out, Tensor... in) {
            Storage x = in[0].storage();
            Storage sq = be.binary(BinaryOp.MUL, x, out, x, out, out);
            Storage y = be.binary(BinaryOp.MUL, sq, out, x, out, out);
            sq.release();
            return y;
        }

        @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
            Tensor x = in[0];
            return new Tensor[] {g.mul(x.mul(x).mul(3.0))};
        }
    }

    /**
     * y = a·b³ (same shapes).  VJP: da = b³·dy, db = 3ab²·dy, except with {@code buggy}, where db is
     * 3ab·dy (a square forgotten): wrong exactly where b is not 0 or 1.
     */
    public static final class ScaledCube implements Op {
        private final boolean buggy;

        public ScaledCube(boolean buggy) { this.buggy = buggy; }

        @Override public String name() { return buggy ? "buggyScaledCube" : "scaledCube"; }

        @Override public Shape shape(Shape... in) {
            ShapeException.require(in[0].equals(in[1]), name(), "a and b must have the same shape", in[0], in[1]);
            return in[0];
        }

        @Override public Storage forward(Backend be, Shape out, Tensor... in) {
            Storage b = in[1].storage();
            Storage b2 = be.binary(BinaryOp.MUL, b, out, b, out, out);
            Storage b3 = be.binary(BinaryOp.MUL, b2, out, b, out, out);
            Storage y = be.binary(BinaryOp.MUL, in[0].storage(), out, b3, out, out);
            b2.release();
            b3.release();
            return y;
        }

        @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
            Tensor a = in[0], b = in[1];
            Tensor db = buggy ? g.mul(a).mul(b).mul(3.0) : g.mul(a).mul(b.mul(b)).mul(3.0);
            return new Tensor[] {g.mul(b.mul(b).mul(b)), db};
        }
    }
}
