package dev.recurrent.backend.cpu;

import dev.recurrent.core.BackendContract;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/** Runs the contract kit's {@link BackendContract} on the pure-Java backend. */
class JavaBackendContractTest extends BackendContract {
    @Override protected Backend backend() { return Backends.get("java"); }
}
