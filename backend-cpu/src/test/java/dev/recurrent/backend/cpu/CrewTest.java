package dev.recurrent.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Crew}: every part runs once, on the helpers when free, and failures reach the caller. */
class CrewTest {
    @Test
    void everyPartRunsOnceWhateverTheCount() {
        Crew crew = Crew.shared(3);
        assertEquals(3, crew.size());
        assertSame(crew, Crew.shared(3));
        for (int parts : new int[] {0, 1, 2, 3, 7}) {
            AtomicIntegerArray runs = new AtomicIntegerArray(Math.max(parts, 1));
            crew.run(parts, runs::incrementAndGet);
            for (int p = 0; p < parts; p++) assertEquals(1, runs.get(p), parts + " parts: part " + p);
        }
    }

    /** The ranges are in part order, touch end to end, cover [0, length) and differ in size by at most one. */
    @Test
    void rangesCoverTheLengthOnceInEqualParts() {
        Crew crew = Crew.shared(2);
        for (int length : new int[] {0, 1, 7, 1024, 1025}) {
            for (int parts : new int[] {1, 2, 3, 5}) {
                int[] from = new int[parts], to = new int[parts];
                crew.runRanges(parts, length, (p, f, t) -> { from[p] = f; to[p] = t; });
                String where = parts + " parts of " + length;
                assertEquals(0, from[0], where);
                assertEquals(length, to[parts - 1], where);
                for (int p = 0; p < parts; p++) {
                    if (p > 0) assertEquals(to[p - 1], from[p], where + ": part " + p + " starts where the last ended");
                    int size = to[p] - from[p];
                    assertTrue(size == length / parts || size == length / parts + 1, where + ": part " + p + " has " + size);
                }
            }
        }
    }

    @Test
    void partsRunOnTheHelpers() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Crew.shared(2).run(2, p -> threads.add(Thread.currentThread().getName()));
        assertTrue(threads.contains(Thread.currentThread().getName()), "part 0 runs on the caller: " + threads);
        assertTrue(threads.contains("recurrent-crew-1"), "part 1 runs on the helper: " + threads);
    }

    /** A part that splits again finds the crew busy and runs its own parts itself. */
    @Test
    void aNestedJobRunsOnItsCaller() {
        Crew crew = Crew.shared(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(4);
        crew.run(2, outer -> crew.run(2, inner -> runs.incrementAndGet(2 * outer + inner)));
        for (int i = 0; i < 4; i++) assertEquals(1, runs.get(i), "nested part " + i);
    }

    @Test
    void aFailingPartFailsTheJobAndFreesTheCrew() {
        Crew crew = Crew.shared(2);
        IllegalStateException helper = assertThrows(IllegalStateException.class, () -> crew.run(2, p -> {
            if (p == 1) throw new IllegalStateException("part 1");
        }));
        assertEquals("part 1", helper.getMessage());
        IllegalStateException caller = assertThrows(IllegalStateException.class, () -> crew.run(2, p -> {
            if (p == 0) throw new IllegalStateException("part 0");
        }));
        assertEquals("part 0", caller.getMessage());
        Set<String> threads = ConcurrentHashMap.newKeySet();
        crew.run(2, p -> threads.add(Thread.currentThread().getName()));
        assertTrue(threads.contains("recurrent-crew-1"), "the helper works again: " + threads);
        assertThrows(IllegalArgumentException.class, () -> Crew.shared(0));
    }
}
