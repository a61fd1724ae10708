package dev.recurrent.backend.blas;

import dev.recurrent.core.BackendContract;
import dev.recurrent.core.backend.Backend;

/**
 * The core contract kit's elementwise part, unchanged, on the {@code openblas} backend. The other parts
 * run in OpenBlasLayoutContractTest, OpenBlasReductionContractTest, OpenBlasExpressionContractTest and
 * OpenBlasAutogradContractTest, all on this one backend instance.
 */
class OpenBlasContractTest extends BackendContract {
    /** One instance for the whole kit. */
    static final Backend BACKEND = new OpenBlasBackend();

    @Override protected Backend backend() { return BACKEND; }
}
