package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BackendProvider;

/** Registers {@link CpuBackend} as {@code java}, rank 10: the fallback that runs everywhere. */
public final class CpuBackendProvider implements BackendProvider {
    @Override public String name() { return CpuBackend.NAME; }

    @Override public int rank() { return 10; }

    @Override public Backend create() { return new CpuBackend(); }
}
