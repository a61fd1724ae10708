package dev.recurrent.backend.blas;

import dev.recurrent.core.ReductionContract;
import dev.recurrent.core.backend.Backend;

/** The core contract kit's ReductionContract, unchanged, on the {@code openblas} backend. */
class OpenBlasReductionContractTest extends ReductionContract {
    @Override protected Backend backend() { return OpenBlasContractTest.BACKEND; }
}
