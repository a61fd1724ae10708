package dev.recurrent.models.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ScheduleTest {
    private static final double TOL = 1e-15;

    @Test
    void constantIsOne() {
        assertEquals(1.0, Schedule.constant().factor(0));
        assertEquals(1.0, Schedule.constant().factor(123456));
        assertEquals(0.01, Schedule.constant().rate(0.01, 7));
    }

    @Test
    void stepDecaysEveryInterval() {
        Schedule s = Schedule.step(10, 0.5);
        assertEquals(1.0, s.factor(0));
        assertEquals(1.0, s.factor(9));
        assertEquals(0.5, s.factor(10));
        assertEquals(0.5, s.factor(19));
        assertEquals(0.25, s.factor(20));
    }

    @Test
    void cosineGoesFromOneToTheFloorThenStays() {
        Schedule s = Schedule.cosine(100, 0.1);
        assertEquals(1.0, s.factor(0), TOL);
        assertEquals(0.1 + 0.9 * 0.5, s.factor(50), TOL);                     // halfway: cos(pi/2) = 0
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 0.25)) / 2, s.factor(25), 1e-15);
        assertEquals(0.1, s.factor(100), TOL);
        assertEquals(0.1, s.factor(1000), TOL);
        assertEquals(0.0, Schedule.cosine(10, 0).factor(10), TOL);
    }

    @Test
    void warmupRampsLinearlyThenHandsOver() {
        Schedule s = Schedule.warmup(4, Schedule.step(2, 0.5));
        assertEquals(0.25, s.factor(0), TOL);
        assertEquals(0.5, s.factor(1), TOL);
        assertEquals(0.75, s.factor(2), TOL);
        assertEquals(1.0, s.factor(3), TOL);
        assertEquals(1.0, s.factor(4), TOL);      // step schedule at 0
        assertEquals(1.0, s.factor(5), TOL);
        assertEquals(0.5, s.factor(6), TOL);      // step schedule at 2
        Schedule wc = Schedule.warmup(10, Schedule.cosine(90, 0));
        assertEquals(0.1, wc.factor(0), TOL);
        assertEquals(1.0, wc.factor(10), TOL);
        assertEquals(0.5, wc.factor(55), 1e-12);
        assertEquals(0.0, wc.factor(100), TOL);
    }

    @Test
    void specsRoundTrip() {
        for (String spec : new String[] {"constant", "step(100,0.5)", "cosine(1000,0.1)", "warmup(50,cosine(950,0.0))", "warmup(5,constant)"}) {
            assertEquals(spec, Schedule.parse(spec).toString());
        }
        assertEquals(Schedule.warmup(10, Schedule.constant()), Schedule.parse("warmup(10)"));
        assertEquals(Schedule.cosine(10, 0), Schedule.parse(" cosine( 10 ) "));
    }

    @Test
    void badSpecsSayWhatWasExpected() {
        assertEquals("schedule 'linear': unknown schedule 'linear'; expected constant, step(N,GAMMA), cosine(N[,MIN]) or warmup(N[,SCHEDULE])",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("linear")).getMessage());
        assertEquals("schedule 'cosine(x)': cosine: expected a whole number of updates; got 'x' (e.g. cosine(1000,0.1))",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("cosine(x)")).getMessage());
        assertEquals("schedule 'step(10)': step needs two arguments: step(interval,gamma)",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("step(10)")).getMessage());
        assertEquals("cosine schedule: the final factor must be in [0, 1]; got 2.0",
                assertThrows(IllegalArgumentException.class, () -> Schedule.parse("cosine(10,2)")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse("cosine(10"));
        assertThrows(IllegalArgumentException.class, () -> Schedule.parse(""));
    }
}
