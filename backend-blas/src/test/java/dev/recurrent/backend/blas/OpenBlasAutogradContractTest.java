package dev.recurrent.backend.blas;

import dev.recurrent.core.AutogradContract;
import dev.recurrent.core.backend.Backend;

/** The core contract kit's AutogradContract, unchanged, on the {@code openblas} backend. */
class OpenBlasAutogradContractTest extends AutogradContract {
    @Override protected Backend backend() { return OpenBlasContractTest.BACKEND; }
}
