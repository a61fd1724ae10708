package dev.recurrent.backend.cpu;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed crew of threads for splitting one piece of work into a few parts of about equal size: the
 * caller runs part 0 and each of {@code size() - 1} daemon helpers ({@code recurrent-crew-N}) one more.
 * Made for work of a millisecond or so (a whole sequence of one batch slice, one big matrix product),
 * where a pool's queueing costs more than it should: a part is handed over by a volatile write and an
 * unpark, and a helper spins for up to a millisecond when done (the next part often follows soon) and then
 * parks, so an idle crew costs nothing.
 *
 * <p>One job at a time: a caller that finds the crew busy (another thread's job, or a part of this crew's
 * own job splitting again) runs every part itself, in order. Results must therefore not depend on which
 * thread runs a part. The first failure of any part is rethrown to the caller once every part has ended.
 */
public final class Crew {
    /**
     * How long a helper spins after a part before it parks: long enough to stay awake through the gaps
     * between the jobs of one training step (a loss, a slice: up to about a millisecond), so that the next
     * job does not wait for a parked thread, and a guest's idle vCPU, to wake. Measured on the 2-vCPU guest,
     * the time from handing a part over to the helper starting it, after a gap of 200 / 600 / 2000 µs: 9.8 /
     * 21 / 41 µs (median) with a 50 µs spin, 0.8 / 0.7 / 33 µs with this one ({@code CrewHandOff} in the
     * tests prints these); a W1 step hands over about ten jobs.
     */
    private static final long SPIN_NANOS = 1_000_000;
    private static final Map<Integer, Crew> SHARED = new ConcurrentHashMap<>();

    private final Helper[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();

    private Crew(int size) {
        helpers = new Helper[size - 1];
        for (int i = 0; i < helpers.length; i++) helpers[i] = new Helper("recurrent-crew-" + (i + 1));
    }

    /** The process-wide crew of {@code size} threads (the caller and {@code size - 1} helpers), made on first use. */
    public static Crew shared(int size) {
        if (size < 1) throw new IllegalArgumentException("crew size must be >= 1; got " + size);
        return SHARED.computeIfAbsent(size, Crew::new);
    }

    /** Threads that work on a job: the caller and the helpers. */
    public int size() { return helpers.length + 1; }

    /**
     * Runs {@code part.accept(p)} for every p in {@code [0, parts)}, at most {@link #size()} at a time, and
     * returns when all have ended. With more parts than threads, the caller runs the extra ones.
     */
    public void run(int parts, IntConsumer part) {
        if (parts <= 0) return;
        int handed = Math.min(parts - 1, helpers.length);
        if (handed == 0 || !busy.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) part.accept(p);
            return;
        }
        try {
            for (int i = 0; i < handed; i++) helpers[i].submit(part, i + 1);
            Throwable failure = null;
            try {
                part.accept(0);
                for (int p = handed + 1; p < parts; p++) part.accept(p);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int i = 0; i < handed; i++) {
                Throwable t = helpers[i].await();
                if (failure == null) failure = t;
            }
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
        } finally {
            busy.set(false);
        }
    }

    /** A part of {@link #runRanges}: part {@code p} works on {@code [from, to)}. */
    public interface Range { void run(int p, int from, int to); }

    /**
     * {@link #run} over {@code [0, length)} cut into {@code parts} ranges of about equal size, part p on
     * {@code [length·p/parts, length·(p+1)/parts)}.
     */
    public void runRanges(int parts, int length, Range range) {
        run(parts, p -> range.run(p, (int) ((long) length * p / parts), (int) ((long) length * (p + 1) / parts)));
    }

    private static final class Helper implements Runnable {
        private final Thread thread;
        private volatile IntConsumer task;
        private int index;                              // written before task, read after
        private volatile boolean done;
        private Throwable failure;                      // written before done, read after

        Helper(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void submit(IntConsumer part, int p) {
            done = false;
            index = p;
            task = part;
            LockSupport.unpark(thread);
        }

        Throwable await() {
            // The parts are about equal: spin a little, then yield, in case the helper waits for this very
            // core (a busy machine).
            for (int i = 0; !done; i++) {
                if (i < 1000) Thread.onSpinWait();
                else Thread.yield();
            }
            Throwable f = failure;
            failure = null;
            return f;
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (true) {
                IntConsumer t = task;
                if (t == null) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) Thread.onSpinWait();
                    else LockSupport.park(this);
                    continue;
                }
                task = null;
                try {
                    t.accept(index);
                } catch (Throwable e) {
                    failure = e;
                }
                done = true;
                idleSince = System.nanoTime();
            }
        }
    }
}
