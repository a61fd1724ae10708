package dev.recurrent.backend.blas;

import dev.recurrent.core.backend.BackendUnavailableException;
import dev.recurrent.core.backend.ThreadCount;

/**
 * Loads OpenBLAS (JavaCPP's {@code openblas_nolapack} presets: the BLAS symbols of the bundled
 * libopenblas, without the 24 MB LAPACK JNI glue) once per JVM, and sets its thread count.
 * Nothing here runs until a backend is created, so discovery never touches native code.
 */
final class NativeBlas {
    /** System property and environment variable that set the OpenBLAS thread count. */
    static final String THREADS_PROPERTY = "rnn.blas.threads";
    static final String THREADS_ENVIRONMENT = "RNN_BLAS_THREADS";

    static final String PRESETS_CLASS = "org.bytedeco.openblas.global.openblas_nolapack";

    static final String MAX_PHYSICAL_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";

    private static volatile boolean loaded;

    /** The thread count OpenBLAS was last set to by {@link #useThreads} (process-wide, like OpenBLAS's own). */
    private static volatile int activeThreads = -1;

    /** Sets OpenBLAS's thread count when it differs from the last one set (a cheap store inside OpenBLAS). */
    static void useThreads(int n) {
        if (activeThreads != n) {
            org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads(n);
            activeThreads = n;
        }
    }

    private NativeBlas() { }

    /** Loads the native library or throws {@link BackendUnavailableException} naming the OS/arch and the fallback. */
    static void load() {
        if (loaded) return;
        synchronized (NativeBlas.class) {
            if (loaded) return;
            // JavaCPP checks the process's resident size (reading /proc/self/statm) on every allocation
            // while maxPhysicalBytes > 0: that made each small tensor cost a system call and most of the
            // time of a recurrent step. Off unless the user asks for it; maxBytes (the -Xmx-sized GC
            // trigger) stays on.
            if (System.getProperty(MAX_PHYSICAL_PROPERTY) == null) System.setProperty(MAX_PHYSICAL_PROPERTY, "0");
            load(PRESETS_CLASS);
            loaded = true;
        }
    }

    /** Initialises {@code presetsClass} (which loads its JNI library); any failure becomes a clear error. */
    static void load(String presetsClass) {
        try {
            Class.forName(presetsClass, true, NativeBlas.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            throw unavailable(e);
        }
    }

    static BackendUnavailableException unavailable(Throwable cause) {
        String os = System.getProperty("os.name") + "/" + System.getProperty("os.arch");
        try {
            os += " (JavaCPP platform " + org.bytedeco.javacpp.Loader.getPlatform() + ")";
        } catch (LinkageError | RuntimeException e) {
            // JavaCPP itself is missing: the OS/arch says enough
        }
        return new BackendUnavailableException("openblas: the OpenBLAS native library could not be loaded on " + os
                + " (" + cause + "). Use the pure-Java backend 'java' instead (-Drnn.backend=java or RNN_BACKEND=java),"
                + " or build for this platform with -Djavacpp.platform=<os-arch>, e.g. linux-arm64 or macosx-arm64.",
                cause);
    }

    /** The thread count asked for by {@code -Drnn.blas.threads} or {@code RNN_BLAS_THREADS}, else the core count. */
    static int configuredThreads() { return ThreadCount.configured("openblas", THREADS_PROPERTY, THREADS_ENVIRONMENT); }
}
