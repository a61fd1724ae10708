package dev.recurrent.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits one pointwise pass of a recurrent step (a few hundred microseconds at B=32, H=256) over two
 * threads, when {@link #PROPERTY} asks for it: the caller and one shared daemon helper, {@code recurrent-rows}.
 * The matrix products' threads (OpenBLAS's, or the java backend's pool) are idle during the pass, so on two
 * idle cores it could take about half the time. The helper is handed a task by a volatile write and an unpark, spins briefly when done (the
 * next task follows a product later) and then parks, so it never competes with a product for long. When
 * the helper is busy (another kernel call on another thread) the caller runs both halves itself. Results
 * do not depend on the split: each batch row is computed by the same code either way.
 */
final class RowSplit {
    /**
     * System property: the state elements (batch·hidden) of a step from which its pass is split; 0, the
     * default, never splits, nor does a single processor. Off by default because it does not pay across
     * the board: on the 2-core machine, busy with another process, a split W1 pass (B=32, H=256, 0.03 to
     * 0.3 ms) was 1.3 to 3 times slower than on one thread (the two halves wait for each other's core);
     * quiet, with 4096, a W1 training step on openblas took GRU 76-85 ms against 93-106 but LSTM 115-128
     * against 109-111 (bench/README.md).
     */
    static final String PROPERTY = "rnn.recurrence.splitElements";
    /** The threshold in force; tests set it (1: split every batch of 2 rows or more). */
    static volatile int minElements = Runtime.getRuntime().availableProcessors() > 1 ? Integer.getInteger(PROPERTY, 0) : 0;
    private static final long SPIN_NANOS = 50_000;

    private RowSplit() { }

    /** The first row of the caller's half of {@code batch} rows of {@code hidden} state elements, or 0: no split. */
    static int split(int batch, int hidden) {
        int min = minElements;
        if (min <= 0 || batch < 2 || (long) batch * hidden < min) return 0;
        return batch / 2;
    }

    /** Runs {@code helper} on the helper thread and {@code here} on the caller; returns when both are done. */
    static void run(Runnable helper, Runnable here) {
        Helper h = Helper.INSTANCE;
        if (!h.busy.compareAndSet(false, true)) {
            helper.run();
            here.run();
            return;
        }
        try {
            h.submit(helper);
            Throwable mine = null;
            try {
                here.run();
            } catch (RuntimeException | Error e) {
                mine = e;
            }
            Throwable theirs = h.await();
            if (mine == null) mine = theirs;
            if (mine instanceof RuntimeException e) throw e;
            if (mine instanceof Error e) throw e;
        } finally {
            h.busy.set(false);
        }
    }

    private static final class Helper implements Runnable {
        static final Helper INSTANCE = new Helper();

        final AtomicBoolean busy = new AtomicBoolean();
        private final Thread thread;
        private volatile Runnable task;
        private volatile boolean done;
        private Throwable failure;                     // written before done, read after

        private Helper() {
            thread = new Thread(this, "recurrent-rows");
            thread.setDaemon(true);
            thread.start();
        }

        void submit(Runnable r) {
            done = false;
            task = r;
            LockSupport.unpark(thread);
        }

        Throwable await() {
            // The helper's half takes about as long as ours: spin a little, then yield, in case it waits
            // for this very core (a busy machine).
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
                Runnable r = task;
                if (r == null) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) Thread.onSpinWait();
                    else LockSupport.park(this);
                    continue;
                }
                task = null;
                try {
                    r.run();
                } catch (Throwable e) {
                    failure = e;
                }
                done = true;
                idleSince = System.nanoTime();
            }
        }
    }
}
