package dev.recurrent.models;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backends;

import java.util.Iterator;
import java.util.List;

/**
 * A cell whose state is a single tensor {@code h:[B, H]} that is also its output (Elman, GRU, most
 * research cells). Implement {@link #step}, {@link #inputSize}, {@link #hiddenSize} and
 * {@link #parameters}; the rest has defaults.
 */
public interface SimpleCell extends Cell<Tensor> {
    /** H, the width of the state. */
    int hiddenSize();

    @Override default int outputSize() { return hiddenSize(); }

    @Override default Tensor output(Tensor state) { return state; }

    @Override default List<Tensor> unpack(Tensor state) { return List.of(state); }

    @Override default Tensor pack(List<Tensor> parts) {
        if (parts.size() != 1) throw new IllegalArgumentException(name() + ": the state is one tensor; got " + parts.size());
        return parts.get(0);
    }

    /** Zeros {@code [batch, H]} with the dtype and backend of the first parameter (F32 on the current backend without one). */
    @Override default Tensor zeroState(int batch) {
        Iterator<Parameter> it = parameters().values().iterator();
        if (!it.hasNext()) return Tensor.zeros(Backends.current(), DType.F32, Shape.of(batch, hiddenSize()));
        Tensor first = it.next().value();
        return Tensor.zeros(first.backend(), first.dtype(), Shape.of(batch, hiddenSize()));
    }
}
