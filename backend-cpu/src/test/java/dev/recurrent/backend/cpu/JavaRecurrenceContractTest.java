package dev.recurrent.backend.cpu;

import dev.recurrent.core.RecurrenceContract;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

class JavaRecurrenceContractTest extends RecurrenceContract {
    @Override protected Backend backend() { return Backends.get("java"); }
}
