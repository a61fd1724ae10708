package dev.recurrent.backend.cpu;

import dev.recurrent.core.ExpressionContract;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/** Runs the contract kit's {@link ExpressionContract} on the pure-Java backend. */
class JavaExpressionContractTest extends ExpressionContract {
    @Override protected Backend backend() { return Backends.get("java"); }
}
