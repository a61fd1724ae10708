package dev.recurrent.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Random;

/**
 * A rough print of the F32 pointwise passes' speed, not a test (no assertions; the name keeps surefire
 * away): µs per time step of {@link FloatRecurrenceSteps}' LSTM and GRU passes, forward and backward, over
 * one batch slice on direct buffers laid out as {@link RecurrenceKernels} lays them out (no products: the
 * step product's output is whatever the scratch holds). One thread, 3 s of warm-up, median of the rounds. From the
 * repository root, after {@code mvn -o -q test-compile -pl backend-cpu}:
 * <pre>
 * java -cp backend-cpu/target/classes:backend-cpu/target/test-classes:core/target/classes \
 *      dev.recurrent.backend.cpu.StepPassThroughput [rows=16] [hidden=256] [steps=50] [rounds=15]
 * </pre>
 */
public final class StepPassThroughput {
    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        for (int gates : new int[] {4, 3}) {
            double[] us = time(gates, rows, hidden, steps, rounds);
            System.out.printf("%-4s F32, %d rows, hidden %d: forward %6.1f us a step, backward %6.1f us a step%n",
                    gates == 4 ? "LSTM" : "GRU", rows, hidden, us[0], us[1]);
        }
    }

    private static FloatBuffer buffer(int n, Random r) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) b.put(i, (float) (0.5 * r.nextGaussian()));
        return b;
    }

    /** Median µs per step of the forward and the backward pass, a slice of {@code rows} rows being the whole batch. */
    private static double[] time(int gates, int rows, int hidden, int steps, int rounds) {
        Random r = new Random(1);
        int gh = gates * hidden, bh = rows * hidden, window = rows * gh;
        FloatBuffer xp = buffer(steps * window, r), out = buffer(2 * steps * bh, r), grad = buffer(2 * steps * bh, r);
        FloatBuffer saved = buffer(RecurrenceKernels.savedSize(gates == 4 ? dev.recurrent.core.backend.CellKind.LSTM
                : dev.recurrent.core.backend.CellKind.GRU, steps, rows, hidden), r);
        FloatBuffer dh = buffer(bh, r), dc = buffer(bh, r), dxp = buffer(steps * window, r), work = buffer(steps * window, r);
        FloatBuffer bhh = buffer(gh, r);
        RecurrenceSteps s = new FloatRecurrenceSteps(gates, hidden);
        int scratch = (gates == 4 ? 5 : 4) * steps * bh, cOut = steps * bh;
        double[] fwd = new double[rounds], bwd = new double[rounds];
        long warmUntil = System.nanoTime() + 3_000_000_000L;           // the JIT needs seconds, not rounds
        for (int round = -1; round < rounds; round++) {
            if (round == 0 && System.nanoTime() < warmUntil) round = -1;
            long t0 = System.nanoTime();
            for (int t = 1; t < steps; t++) {
                if (gates == 4) {
                    s.lstm(xp, t * window, saved, scratch, out, cOut + (t - 1) * bh, saved, t * window, 4 * steps * bh + t * bh,
                            out, t * bh, cOut + t * bh, rows);
                } else {
                    s.gru(xp, t * window, saved, scratch, bhh, out, (t - 1) * bh, saved, 4 * t * bh, out, t * bh, rows);
                }
            }
            long t1 = System.nanoTime();
            s.zero(dh, 0, bh);                                          // as the kernel starts its backward
            s.zero(dc, 0, bh);
            for (int t = steps - 1; t >= 1; t--) {
                if (gates == 4) {
                    s.lstmBackward(grad, t * bh, cOut + t * bh, dh, dc, 0, saved, t * window, 4 * steps * bh + t * bh, out,
                            cOut + (t - 1) * bh, dxp, t * window, rows);
                } else {
                    s.gruBackward(grad, t * bh, dh, 0, saved, 4 * t * bh, out, (t - 1) * bh, dxp, t * window, work, t * window, rows);
                }
            }
            long t2 = System.nanoTime();
            if (round >= 0) {
                fwd[round] = (t1 - t0) / 1e3 / (steps - 1);
                bwd[round] = (t2 - t1) / 1e3 / (steps - 1);
            }
        }
        return new double[] {median(fwd), median(bwd)};
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
