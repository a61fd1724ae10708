package dev.recurrent.backend.blas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link NativeBlas#smallKernels()}: the override, the forced OpenBLAS kernel set, the CPU's AVX-512 flags. */
class SmallKernelsTest {
    private static final Set<String> AVX512 = Set.of("fpu", "avx2", "fma", "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512cd");

    @Test
    void aForcedKernelSetDecidesBeforeTheFlags() {
        assertTrue(NativeBlas.smallKernels("SkylakeX", Set.of()));
        assertTrue(NativeBlas.smallKernels(" cooperlake ", Set.of()));
        assertTrue(NativeBlas.smallKernels("SAPPHIRERAPIDS", Set.of()));
        assertFalse(NativeBlas.smallKernels("Haswell", AVX512), "AVX-512 CPU, but OpenBLAS told to use its Haswell kernels");
        assertFalse(NativeBlas.smallKernels("Zen", AVX512));
    }

    @Test
    void withoutOneEveryAvx512FlagIsNeeded() {
        assertTrue(NativeBlas.smallKernels(null, AVX512));
        assertTrue(NativeBlas.smallKernels("  ", AVX512));
        assertFalse(NativeBlas.smallKernels(null, Set.of("fpu", "avx2", "fma")));
        assertFalse(NativeBlas.smallKernels(null, Set.of("avx512f", "avx512cd", "avx512er", "avx512pf")), "Knights Landing: no BW, DQ, VL");
        assertFalse(NativeBlas.smallKernels(null, Set.of()));
    }

    @Test
    void flagsAreTheFirstProcessorsFlagsLine(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu avx2  avx512f avx512bw\n"
                + "bugs\t\t: none\n\nprocessor\t: 1\nflags\t\t: fpu other\n");
        assertEquals(Set.of("fpu", "avx2", "avx512f", "avx512bw"), NativeBlas.cpuFlags(cpuinfo));
        Files.writeString(cpuinfo, "processor\t: 0\nFeatures\t: fp asimd\n");
        assertEquals(Set.of(), NativeBlas.cpuFlags(cpuinfo), "no flags line (an ARM cpuinfo)");
        assertEquals(Set.of(), NativeBlas.cpuFlags(dir.resolve("missing")), "no such file (not Linux)");
    }

    @Test
    void thePropertyOverridesAndABadValueIsAnError() {
        String old = System.getProperty(NativeBlas.SMALL_KERNELS_PROPERTY);
        try {
            System.setProperty(NativeBlas.SMALL_KERNELS_PROPERTY, "false");
            assertFalse(NativeBlas.smallKernels());
            assertFalse(new OpenBlasBackend(1).smallKernels());
            assertFalse(new OpenBlasBackend(1).describe().contains("small-matrix"));
            System.setProperty(NativeBlas.SMALL_KERNELS_PROPERTY, " TRUE ");
            assertTrue(NativeBlas.smallKernels());
            assertTrue(new OpenBlasBackend(1).describe().endsWith(", small-matrix sgemm)"), new OpenBlasBackend(1).describe());
            System.setProperty(NativeBlas.SMALL_KERNELS_PROPERTY, "yes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, NativeBlas::smallKernels);
            assertEquals("openblas: -Drnn.blas.smallKernels must be true or false; got 'yes'", e.getMessage());
        } finally {
            if (old == null) System.clearProperty(NativeBlas.SMALL_KERNELS_PROPERTY);
            else System.setProperty(NativeBlas.SMALL_KERNELS_PROPERTY, old);
        }
    }
}
