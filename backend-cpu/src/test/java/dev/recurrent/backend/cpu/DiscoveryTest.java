package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.BackendProvider;
import dev.recurrent.core.backend.Backends;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend is found by name through ServiceLoader, and reports itself. */
class DiscoveryTest {
    @Test
    void serviceLoaderFindsTheProvider() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p instanceof CpuBackendProvider) found = p;
        }
        assertTrue(found != null, "CpuBackendProvider is not registered in META-INF/services");
        assertEquals("java", found.name());
        assertEquals(10, found.rank());
        assertInstanceOf(CpuBackend.class, found.create());
    }

    @Test
    void backendsGetJavaReturnsOneSharedCpuBackend() {
        Backend be = Backends.get("java");
        assertInstanceOf(CpuBackend.class, be);
        assertEquals("java", be.name());
        assertSame(be, Backends.get("java"));
        assertTrue(Backends.names().contains("java"), Backends.names().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.get("no-such-backend"));
        assertTrue(e.getMessage().contains("java"), e.getMessage());
    }

    @Test
    void describeNamesTheThreadCount() {
        assertEquals("java (pure Java kernels, 3 threads)", new CpuBackend(3).describe());
        assertEquals("java (pure Java kernels, 1 thread)", new CpuBackend(1).describe());
        assertThrows(IllegalArgumentException.class, () -> new CpuBackend(0));
    }

    @Test
    void threadCountComesFromTheSystemProperty() {
        String before = System.getProperty(Parallel.THREADS_PROPERTY);
        try {
            System.setProperty(Parallel.THREADS_PROPERTY, "3");
            assertEquals(3, new CpuBackend().threads());
            System.clearProperty(Parallel.THREADS_PROPERTY);
            assertEquals(Runtime.getRuntime().availableProcessors(), new CpuBackend().threads());
            System.setProperty(Parallel.THREADS_PROPERTY, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CpuBackend::new);
            assertTrue(e.getMessage().contains("rnn.java.threads"), e.getMessage());
        } finally {
            if (before == null) System.clearProperty(Parallel.THREADS_PROPERTY);
            else System.setProperty(Parallel.THREADS_PROPERTY, before);
        }
    }
}
