package dev.recurrent.backend.cpu;

import dev.recurrent.core.MirrorBackend;
import dev.recurrent.core.RecurrenceContract;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/** {@link RecurrenceContract} on a backend without sequence kernels of its own (the kit's mirror): the SPI's default methods. */
class RecurrenceDefaultsContractTest extends RecurrenceContract {
    private static final Backend MIRROR = new MirrorBackend(Backends.get("java"));

    @Override protected Backend backend() { return MIRROR; }
}
