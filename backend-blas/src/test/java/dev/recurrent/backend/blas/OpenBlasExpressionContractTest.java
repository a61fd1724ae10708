package dev.recurrent.backend.blas;

import dev.recurrent.core.ExpressionContract;
import dev.recurrent.core.backend.Backend;

/** The core contract kit's ExpressionContract, unchanged, on the {@code openblas} backend. */
class OpenBlasExpressionContractTest extends ExpressionContract {
    @Override protected Backend backend() { return OpenBlasContractTest.BACKEND; }
}
