package dev.recurrent.backend.blas;

import dev.recurrent.core.backend.BackendUnavailableException;
import dev.recurrent.core.backend.ThreadCount;

/**
 * Loads OpenBLAS (JavaCPP's {@code openblas_nolapack} presets: the BLAS symbols of the bundled
 * libopenblas, without the 24 MB LAPACK JNI glue) once per JVM, and sets OpenBLAS to one thread.
 * Nothing here runs until a backend is created, so discovery never touches native code.
 */
final class NativeBlas {
    /** System property and environment variable that set the backend's thread count (its Crew; OpenBLAS itself runs on one). */
    static final String THREADS_PROPERTY = "rnn.blas.threads";
    static final String THREADS_ENVIRONMENT = "RNN_BLAS_THREADS";

    static final String PRESETS_CLASS = "org.bytedeco.openblas.global.openblas_nolapack";

    static final String MAX_PHYSICAL_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";

    private static volatile boolean loaded;

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
            // OpenBLAS runs on the calling thread only; the backend splits big products over its own Crew
            // (Gemm). OpenBLAS's workers spin for about 0.1 s after every threaded call, and on a machine
            // with few cores they would then compete with the crew and with the Java kernels between
            // products (measured on 2 cores: a crew-split recurrence ran 2 to 4 times slower right after
            // a threaded OpenBLAS product, even with the thread count set back to 1).
            org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads(1);
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
