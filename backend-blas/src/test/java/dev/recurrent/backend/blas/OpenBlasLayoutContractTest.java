package dev.recurrent.backend.blas;

import dev.recurrent.core.LayoutContract;
import dev.recurrent.core.backend.Backend;

/** The core contract kit's LayoutContract, unchanged, on the {@code openblas} backend. */
class OpenBlasLayoutContractTest extends LayoutContract {
    @Override protected Backend backend() { return OpenBlasContractTest.BACKEND; }
}
