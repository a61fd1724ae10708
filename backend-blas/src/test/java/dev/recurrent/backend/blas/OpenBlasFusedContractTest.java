package dev.recurrent.backend.blas;

import dev.recurrent.core.FusedContract;
import dev.recurrent.core.backend.Backend;

/** The core contract kit's FusedContract, unchanged, on the {@code openblas} backend. */
class OpenBlasFusedContractTest extends FusedContract {
    @Override protected Backend backend() { return OpenBlasContractTest.BACKEND; }
}
