package dev.recurrent.backend.blas;

import dev.recurrent.core.backend.BackendUnavailableException;
import dev.recurrent.core.backend.ThreadCount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

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

    /** System property and environment variable: {@code true} or {@code false} overrides {@link #smallKernels()}'s detection. */
    static final String SMALL_KERNELS_PROPERTY = "rnn.blas.smallKernels";
    static final String SMALL_KERNELS_ENVIRONMENT = "RNN_BLAS_SMALL_KERNELS";

    /** OpenBLAS's kernel sets (its {@code OPENBLAS_CORETYPE} names) with a small-matrix {@code sgemm}. */
    static final Set<String> SMALL_KERNEL_CORES = Set.of("skylakex", "cooperlake", "sapphirerapids");

    /** The CPU flags OpenBLAS's runtime dispatch needs before it picks one of {@link #SMALL_KERNEL_CORES}. */
    static final List<String> AVX512_FLAGS = List.of("avx512f", "avx512bw", "avx512dq", "avx512vl");

    /**
     * Whether the OpenBLAS in use has {@code sgemm}'s small-matrix kernels, which compute C straight from A
     * and B without packing them: OpenBLAS 0.3.28 has them in its SkylakeX, Cooperlake and SapphireRapids
     * kernel sets, and uses them for products of at most 10⁶ multiply-adds (M·N·K). The presets' OpenBLAS
     * picks its kernels at run time from the CPU, one of those sets on a CPU with AVX-512; so: what
     * {@code -Drnn.blas.smallKernels} or {@code RNN_BLAS_SMALL_KERNELS} says (true or false), else the kernel set
     * {@code OPENBLAS_CORETYPE} forces, else whether Linux's {@code /proc/cpuinfo} lists {@link #AVX512_FLAGS}
     * (false where there is no such file). A kernel set OpenBLAS does not know (it then detects one itself)
     * counts as one without them: a wrong guess costs speed only, OpenBLAS checks each call's size itself.
     * Used by {@link BlasRecurrence}'s step products.
     */
    static boolean smallKernels() {
        String source = "-D" + SMALL_KERNELS_PROPERTY, value = System.getProperty(SMALL_KERNELS_PROPERTY);
        if (value == null || value.isBlank()) {
            source = SMALL_KERNELS_ENVIRONMENT;
            value = System.getenv(SMALL_KERNELS_ENVIRONMENT);
        }
        if (value == null || value.isBlank()) return smallKernels(System.getenv("OPENBLAS_CORETYPE"), cpuFlags(Path.of("/proc/cpuinfo")));
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("openblas: " + source + " must be true or false; got '" + value + "'");
        };
    }

    /** {@link #smallKernels()} from the forced kernel set (null or blank: none) and the CPU's flags. */
    static boolean smallKernels(String coreType, Set<String> cpuFlags) {
        if (coreType != null && !coreType.isBlank()) return SMALL_KERNEL_CORES.contains(coreType.trim().toLowerCase(Locale.ROOT));
        return cpuFlags.containsAll(AVX512_FLAGS);
    }

    /** The flags of the first processor that {@code cpuinfo} (Linux's /proc/cpuinfo) lists; none if it cannot be read. */
    static Set<String> cpuFlags(Path cpuinfo) {
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags") && l.indexOf(':') > 0).findFirst()
                    .map(l -> Set.copyOf(Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))))
                    .orElse(Set.of());
        } catch (IOException | UncheckedIOException | SecurityException e) {
            return Set.of();
        }
    }
}
