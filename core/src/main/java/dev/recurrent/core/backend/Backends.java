package dev.recurrent.core.backend;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds backends through {@link ServiceLoader} and picks one: by name in code, by the system property
 * {@code rnn.backend}, by the environment variable {@code RNN_BACKEND}, or else the available backend of
 * highest rank. Each backend is created once and shared (backends are thread-safe).
 */
public final class Backends {
    public static final String PROPERTY = "rnn.backend";
    public static final String ENVIRONMENT = "RNN_BACKEND";

    private static final Map<String, Backend> CREATED = new ConcurrentHashMap<>();
    private static final ThreadLocal<Backend> CURRENT = new ThreadLocal<>();
    private static volatile Map<String, BackendProvider> providers;

    private Backends() { }

    private static Map<String, BackendProvider> providers() {
        Map<String, BackendProvider> p = providers;
        if (p == null) {
            List<BackendProvider> found = new ArrayList<>();
            for (BackendProvider bp : ServiceLoader.load(BackendProvider.class)) found.add(bp);
            found.sort(Comparator.comparingInt(BackendProvider::rank).reversed().thenComparing(BackendProvider::name));
            p = new LinkedHashMap<>();
            for (BackendProvider bp : found) p.putIfAbsent(bp.name(), bp);
            providers = p;
        }
        return p;
    }

    /** Names of every registered backend, highest rank first. */
    public static List<String> names() { return List.copyOf(providers().keySet()); }

    /** The backend called {@code name}; an unknown name fails listing the names that exist. */
    public static Backend get(String name) {
        BackendProvider p = providers().get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + String.join(", ", names()));
        }
        return CREATED.computeIfAbsent(name, n -> p.create());
    }

    /** The backend set for this thread by {@link #use}, else {@link #defaultBackend()}. */
    public static Backend current() {
        Backend b = CURRENT.get();
        return b != null ? b : defaultBackend();
    }

    /** Makes {@code backend} this thread's current backend until the returned scope closes. */
    public static Use use(Backend backend) {
        Backend before = CURRENT.get();
        CURRENT.set(backend);
        return () -> CURRENT.set(before);
    }

    /** Restores the previous current backend when closed. */
    public interface Use extends AutoCloseable {
        @Override void close();
    }

    /**
     * The backend named by {@code -Drnn.backend}, else by {@code RNN_BACKEND}, else the highest-ranked one
     * that can be created here.
     */
    public static Backend defaultBackend() {
        String named = System.getProperty(PROPERTY);
        if (named == null || named.isBlank()) named = System.getenv(ENVIRONMENT);
        if (named != null && !named.isBlank()) return get(named.trim());
        List<String> problems = new ArrayList<>();
        for (String name : providers().keySet()) {
            try {
                return get(name);
            } catch (BackendUnavailableException e) {
                problems.add(name + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException("no backend is available"
                + (problems.isEmpty() ? " (none is on the class path; add recurrent-backend-cpu)" : ": " + String.join("; ", problems)));
    }
}
