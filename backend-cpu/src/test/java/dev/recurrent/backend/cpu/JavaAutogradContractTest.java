package dev.recurrent.backend.cpu;

import dev.recurrent.core.AutogradContract;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/** Runs the contract kit's {@link AutogradContract} on the pure-Java backend. */
class JavaAutogradContractTest extends AutogradContract {
    @Override protected Backend backend() { return Backends.get("java"); }
}
