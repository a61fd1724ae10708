package dev.recurrent.core.ops;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.ShapeException;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Storage;

/** y = zeros [rows, D] with row i of x [N, D] added into row ids[i].  VJP: dx = rows ids of dy.  Saves ids. */
public final class ScatterAddRows implements Op {
    private final int[] ids;
    private final int rows;

    public ScatterAddRows(int[] ids, int rows) {
        this.ids = ids.clone();
        this.rows = rows;
    }

    @Override public String name() { return "scatterAddRows"; }

    @Override public Shape shape(Shape... in) {
        ShapeException.require(in[0].rank() == 2 && in[0].dim(0) == ids.length, name(),
                "the source must be [ids.length=" + ids.length + ", cols]", in[0]);
        GatherRows.checkIds(name(), ids, rows);
        return Shape.of(rows, in[0].dim(1));
    }

    @Override public Storage forward(Backend be, Shape out, Tensor... in) {
        return be.scatterAddRows(in[0].storage(), in[0].dim(1), ids, rows);
    }

    @Override public Tensor[] vjp(Tensor g, Tensor y, Tensor... in) { return new Tensor[] {g.gatherRows(ids)}; }
}
