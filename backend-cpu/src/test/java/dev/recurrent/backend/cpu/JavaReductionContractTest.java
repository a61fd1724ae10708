package dev.recurrent.backend.cpu;

import dev.recurrent.core.ReductionContract;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/** Runs the contract kit's {@link ReductionContract} on the pure-Java backend. */
class JavaReductionContractTest extends ReductionContract {
    @Override protected Backend backend() { return Backends.get("java"); }
}
