package dev.recurrent.backend.cpu;

import dev.recurrent.core.FusedContract;
import dev.recurrent.core.MirrorBackend;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

/** {@link FusedContract} on a backend without fused kernels of its own (the kit's mirror): the SPI's default methods. */
class FusedDefaultsContractTest extends FusedContract {
    private static final Backend MIRROR = new MirrorBackend(Backends.get("java"));

    @Override protected Backend backend() { return MIRROR; }
}
