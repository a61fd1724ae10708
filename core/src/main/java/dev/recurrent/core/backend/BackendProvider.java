package dev.recurrent.core.backend;

/**
 * Registers a backend with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.recurrent.core.backend.BackendProvider}.
 */
public interface BackendProvider {
    /** The name users select it by. */
    String name();

    /** Higher ranks win when no backend is named. */
    int rank();

    /**
     * Creates the backend, or throws {@link BackendUnavailableException} saying why it cannot run here
     * (a native library that does not load on this OS/arch, say).
     */
    Backend create();
}
