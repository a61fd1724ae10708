package dev.recurrent.backend.blas;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BackendUnavailableException;
import dev.recurrent.core.backend.Backends;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderTest {
    @Test
    void isDiscoveredByNameAboveTheJavaBackend() {
        assertTrue(Backends.names().contains("openblas"), Backends.names().toString());
        assertEquals(20, new OpenBlasBackendProvider().rank());
        Backend be = Backends.get("openblas");
        assertEquals("openblas", be.name());
        assertTrue(be instanceof OpenBlasBackend);
    }

    @Test
    void describesVendorVersionAndThreads() {
        OpenBlasBackend be = new OpenBlasBackend(1);
        String d = be.describe();
        assertTrue(d.contains("OpenBLAS") && d.contains("0.3.") && d.contains("1 thread"), d);
        assertEquals(d, be.toString());
        OpenBlasBackend all = new OpenBlasBackend();
        assertTrue(all.describe().contains(all.threads() + " thread"), all.describe());
    }

    @Test
    void threadCountComesFromThePropertyElseTheCores() {
        String old = System.getProperty(NativeBlas.THREADS_PROPERTY);
        try {
            System.setProperty(NativeBlas.THREADS_PROPERTY, "3");
            assertEquals(3, NativeBlas.configuredThreads());
            assertEquals(3, new OpenBlasBackend().threads());
            System.setProperty(NativeBlas.THREADS_PROPERTY, "many");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, NativeBlas::configuredThreads);
            assertTrue(e.getMessage().contains("rnn.blas.threads"), e.getMessage());
            System.clearProperty(NativeBlas.THREADS_PROPERTY);
            if (System.getenv(NativeBlas.THREADS_ENVIRONMENT) == null) {
                assertEquals(Runtime.getRuntime().availableProcessors(), NativeBlas.configuredThreads());
            }
        } finally {
            if (old == null) System.clearProperty(NativeBlas.THREADS_PROPERTY);
            else System.setProperty(NativeBlas.THREADS_PROPERTY, old);
        }
    }

    @Test
    void aLibraryThatCannotLoadNamesThePlatformAndTheJavaFallback() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> NativeBlas.load("org.bytedeco.openblas.global.no_such_presets"));
        String m = e.getMessage();
        assertTrue(m.contains(System.getProperty("os.name")) && m.contains(System.getProperty("os.arch")), m);
        assertTrue(m.contains("'java'"), m);
        assertTrue(e instanceof IllegalStateException);
    }
}
