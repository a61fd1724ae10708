package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.ThreadCount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * Splits work across a {@link ForkJoinPool} shared by every backend of the same thread count. The pools'
 * threads are daemons named {@code recurrent-java-N}, so nothing needs shutting down.
 */
final class Parallel {
    /** System property overriding the thread count (default: the number of available processors). */
    static final String THREADS_PROPERTY = "rnn.java.threads";

    private static final Map<Integer, ForkJoinPool> POOLS = new ConcurrentHashMap<>();

    private final int threads;
    private final ForkJoinPool pool;     // null when single-threaded: everything runs on the caller

    Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("java backend: thread count must be >= 1; got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : POOLS.computeIfAbsent(threads, Parallel::newPool);
    }

    /** Threads from {@code -Drnn.java.threads}, else the number of available processors. */
    static int threadsFromProperty() { return ThreadCount.configured("java backend", THREADS_PROPERTY, null); }

    int threads() { return threads; }

    /** Runs {@code task.accept(t)} for every t &lt; tasks, in parallel when the pool has threads; waits for all. */
    void forEach(int tasks, IntConsumer task) {
        if (pool == null || tasks <= 1) {
            for (int t = 0; t < tasks; t++) task.accept(t);
            return;
        }
        List<RecursiveAction> actions = new ArrayList<>(tasks);
        for (int t = 0; t < tasks; t++) {
            int id = t;
            actions.add(new RecursiveAction() {
                @Override protected void compute() { task.accept(id); }
            });
        }
        pool.invoke(new RecursiveAction() {
            @Override protected void compute() { invokeAll(actions); }
        });
    }

    private static ForkJoinPool newPool(int threads) {
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("recurrent-java-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        };
        return new ForkJoinPool(threads, factory, null, false);
    }
}
