package dev.recurrent.backend.cpu;

import java.util.Arrays;

/**
 * A rough print of {@link Crew}'s hand-over latency, not a test (the name keeps surefire away): the time
 * from {@code run} handing part 1 over to the helper starting it, after the caller has been busy for a gap
 * of 20 µs to 2 ms (the helper has spun or parked meanwhile). From the repository root, after
 * {@code mvn -o -q test-compile -pl backend-cpu}:
 * <pre>
 * java -cp backend-cpu/target/classes:backend-cpu/target/test-classes dev.recurrent.backend.cpu.CrewHandOff
 * </pre>
 */
public final class CrewHandOff {
    public static void main(String[] args) {
        Crew crew = Crew.shared(2);
        long[] started = new long[1];
        for (int gapMicros : new int[] {20, 200, 600, 2000}) {
            double[] latency = new double[400];
            for (int i = 0; i < latency.length; i++) {
                long until = System.nanoTime() + gapMicros * 1000L;
                while (System.nanoTime() < until) Thread.onSpinWait();        // the caller's own work between jobs
                long t0 = System.nanoTime();
                crew.run(2, p -> { if (p == 1) started[0] = System.nanoTime(); });
                latency[i] = (started[0] - t0) / 1e3;
            }
            Arrays.sort(latency);
            System.out.printf("gap %4d us: the helper starts after %.1f us (median), %.1f (90th percentile), %.1f (max)%n",
                    gapMicros, latency[latency.length / 2], latency[latency.length * 9 / 10], latency[latency.length - 1]);
        }
    }
}
