package dev.recurrent.backend.cpu;

import dev.recurrent.core.LayoutContract;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/** Runs the contract kit's {@link LayoutContract} on the pure-Java backend. */
class JavaLayoutContractTest extends LayoutContract {
    @Override protected Backend backend() { return Backends.get("java"); }
}
