package dev.recurrent.backend.cpu;

import dev.recurrent.core.FusedContract;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/** Runs the contract kit's {@link FusedContract} on the pure-Java backend (its FusedKernels loops). */
class JavaFusedContractTest extends FusedContract {
    @Override protected Backend backend() { return Backends.get("java"); }
}
