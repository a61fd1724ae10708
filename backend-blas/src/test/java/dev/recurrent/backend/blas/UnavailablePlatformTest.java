package dev.recurrent.backend.blas;

import dev.recurrent.core.backend.BackendUnavailableException;
import dev.recurrent.core.backend.Backends;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A platform without native libraries, for real: a child JVM told by JavaCPP's platform property that it
 * runs on linux-riscv64 (no native jar for it on the class path), so loading OpenBLAS fails.
 */
class UnavailablePlatformTest {
    /** Run in the child JVM: prints what discovery and creation do. */
    public static void main(String[] args) {
        System.out.println("names=" + Backends.names());
        try {
            Backends.get("openblas");
            System.out.println("created");
        } catch (BackendUnavailableException e) {
            System.out.println("unavailable=" + e.getMessage());
        }
        System.out.println("default=" + Backends.defaultBackend().name());
    }

    @Test
    void discoveryWorksAndCreationNamesThePlatformAndTheFallback() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Dorg.bytedeco.javacpp.platform=linux-riscv64",
                "-cp", System.getProperty("java.class.path"), UnavailablePlatformTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.contains("=")).toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("names=") && l.contains("openblas") && l.contains("java")), out);
        String error = lines.stream().filter(l -> l.startsWith("unavailable=")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(error.contains("linux-riscv64") && error.contains(System.getProperty("os.arch")), error);
        assertTrue(error.contains("'java'"), error);
        assertTrue(lines.contains("default=java"), out);
    }
}
