package dev.recurrent.backend.blas;

import dev.recurrent.core.RecurrenceContract;
import dev.recurrent.core.backend.Backend;

class OpenBlasRecurrenceContractTest extends RecurrenceContract {
    @Override protected Backend backend() { return OpenBlasContractTest.BACKEND; }
}
