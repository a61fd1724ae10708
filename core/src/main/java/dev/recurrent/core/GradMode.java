package dev.recurrent.core;

/**
 * Whether ops record the graph, per thread (never a global flag). Use as a scope:
 * <pre>try (GradMode.Scope s = GradMode.off()) { ...inference or optimizer updates... }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private GradMode() { }

    public static boolean isEnabled() { return ENABLED.get(); }

    /** Stops recording on this thread until the scope closes. */
    public static Scope off() { return set(false); }

    /** Records on this thread until the scope closes (for example inside a no-grad region). */
    public static Scope on() { return set(true); }

    private static Scope set(boolean enabled) {
        boolean before = ENABLED.get();
        ENABLED.set(enabled);
        return () -> ENABLED.set(before);
    }

    /** Restores the previous mode when closed. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
