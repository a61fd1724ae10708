package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/** y = rows ids of table [V, D] -> [N, D] (embedding lookup).  VJP: dtable = scatter-add of dy into ids' rows.  Saves ids. */
public final class GatherRows implements Op {
    private final int[] ids;

    public GatherRows(int[] ids) { this.ids = ids.clone(); }

    @Override public String name() { return "gatherRows"; }

    @Override public Shape shape(Shape... in) {
        ShapeException.require(in[0].rank() == 2, name(), "the table must be 2-D [rows, cols]", in[0]);
        checkIds(name(), ids, in[0].dim(0));
        return Shape.of(ids.length, in[0].dim(1));
    }

    static void checkIds(String op, int[] ids, int rows) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= rows) {
                throw new IllegalArgumentException(op + ": id " + ids[i] + " at position " + i + " is out of range for a table of " + rows + " rows");
            }
        }
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.gatherRows(in[0].storage(), in[0].dim(0), in[0].dim(1), ids);
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) {
        return new Tensor[] {Tensor.apply(new ScatterAddRows(ids, in[0].dim(0)), g)};
    }
}
