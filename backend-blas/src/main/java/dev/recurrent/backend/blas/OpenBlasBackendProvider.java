package dev.recurrent.backend.blas;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BackendProvider;

/**
 * Registers the {@code openblas} backend (rank 20, above the pure-Java {@code java} backend). Loads no
 * native code until {@link #create()}, so listing backends works on every OS/arch; where the library
 * cannot load, {@code create()} throws a {@link dev.recurrent.core.backend.BackendUnavailableException}
 * that names the platform and the {@code java} fallback.
 */
public final class OpenBlasBackendProvider implements BackendProvider {
    @Override public String name() { return OpenBlasBackend.NAME; }

    @Override public int rank() { return 20; }

    @Override public Backend create() { return new OpenBlasBackend(); }
}
