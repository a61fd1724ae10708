package dev.recurrent.core;

/** Checks shared by every op before any kernel runs. */
final class Ops {
    private Ops() { }

    /** All inputs on one backend and of one dtype, or a clear error naming the op. */
    static void sameKind(String op, Tensor... inputs) {
        if (inputs.length == 0) throw new IllegalArgumentException(op + ": needs at least one input");
        Tensor first = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t.backend() != first.backend()) {
                throw new IllegalArgumentException(op + ": inputs live on different backends (input 0 on " + first.backend().name()
                        + ", input " + i + " on " + t.backend().name() + "); move one with tensor.to(backend)");
            }
            if (t.dtype() != first.dtype()) {
                throw new IllegalArgumentException(op + ": dtypes must match (input 0 is " + first.dtype() + " " + first.shape()
                        + ", input " + i + " is " + t.dtype() + " " + t.shape() + "); convert one with tensor.to(DType." + first.dtype() + ")");
            }
        }
    }
}
