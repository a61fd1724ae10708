package dev.recurrent.core.backend;

/** The thread count a backend is asked for: a system property, else an environment variable, else every core. */
public final class ThreadCount {
    private ThreadCount() { }

    /**
     * {@code -Dproperty}, else the environment variable {@code environment} (null: none), else the number of
     * available processors. A value that is not a whole number &gt;= 1 is an error naming where it came from.
     */
    public static int configured(String backend, String property, String environment) {
        String source = "-D" + property, value = System.getProperty(property);
        if ((value == null || value.isBlank()) && environment != null) {
            source = environment;
            value = System.getenv(environment);
        }
        if (value == null || value.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(backend + ": " + source + " must be a whole number of threads >= 1; got '" + value + "'");
    }
}
