package dev.recurrent.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time per op, forward and backward, recorded on one thread: where a step of define-by-run code goes.
 * <pre>
 * try (OpProfile p = OpProfile.start()) {
 *     for (int i = 0; i &lt; 10; i++) step();            // forward and backward, as usual
 *     System.out.print(p.table(10));                  // ms per step, largest first
 * }
 * </pre>
 * <ul>
 * <li>Forward: the time of each op's kernel ({@link Op#forward}), under the op's name.</li>
 * <li>Backward: the time of each node's vector-Jacobian product, under the op's name. It includes the ops
 *     the VJP runs, which are not recorded again. Autograd's own in-place work is recorded too: adding a
 *     gradient into a window ({@code "<op> (window add)"}), summing the gradients of a value used twice
 *     ({@code "(gradient sums)"}) and adding into the leaves' gradients ({@code "(leaf gradients)"}).</li>
 * </ul>
 * Everything between ops (the caller's own code, graph bookkeeping, the garbage collector) is not in the
 * table: compare {@link #totalNanos()} with the wall time of the profiled steps to see how much that is.
 * Only the thread that started the profile is recorded (a backend's helper threads run inside the ops
 * they serve, so their time is in those ops). When no profile is open on any thread, the cost is one
 * read of a volatile field per op.
 */
public final class OpProfile implements AutoCloseable {
    /** Which pass an entry belongs to. */
    public enum Phase { FORWARD, BACKWARD }

    /** One line of the profile: an op (or autograd's own work) in one phase, its calls and total time. */
    public record Entry(String op, Phase phase, long calls, long nanos) { }

    private static final ThreadLocal<OpProfile> CURRENT = new ThreadLocal<>();
    private static volatile int open;                 // profiles open on any thread: the cheap test for none

    private final Map<String, long[]> forward = new LinkedHashMap<>(), backward = new LinkedHashMap<>();
    private int inVjp;                                // VJPs being timed: the ops they run are inside their time
    private boolean closed;

    private OpProfile() { }

    /** Starts recording on the current thread; close it to stop. Fails if this thread already records. */
    public static OpProfile start() {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("OpProfile: this thread is already recording a profile; close it before starting another");
        }
        OpProfile p = new OpProfile();
        CURRENT.set(p);
        synchronized (OpProfile.class) { open++; }
        return p;
    }

    /** Stops recording (the entries stay readable). Must be called on the thread that started the profile. */
    @Override public void close() {
        if (closed) return;
        if (CURRENT.get() != this) throw new IllegalStateException("OpProfile: close it on the thread that started it");
        closed = true;
        CURRENT.remove();
        synchronized (OpProfile.class) { open--; }
    }

    /** The profile recording on this thread, or null. */
    static OpProfile current() { return open == 0 ? null : CURRENT.get(); }

    /** An op's forward kernel took {@code nanos} (ignored inside a VJP, whose own time includes it). */
    void forward(String op, long nanos) {
        if (inVjp == 0) add(forward, op, nanos);
    }

    /** Before a VJP: returns the start time. */
    long enterVjp() {
        inVjp++;
        return System.nanoTime();
    }

    /** After the VJP begun at {@code start}. */
    void exitVjp(String op, long start) {
        long nanos = System.nanoTime() - start;
        inVjp--;
        add(backward, op, nanos);
    }

    /** Autograd's own backward work ({@code what}) took {@code nanos}. */
    void backward(String what, long nanos) { add(backward, what, nanos); }

    private static void add(Map<String, long[]> m, String key, long nanos) {
        long[] v = m.computeIfAbsent(key, k -> new long[2]);
        v[0]++;
        v[1] += nanos;
    }

    /** Every entry, forward then backward, each in the order first recorded. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        forward.forEach((k, v) -> out.add(new Entry(k, Phase.FORWARD, v[0], v[1])));
        backward.forEach((k, v) -> out.add(new Entry(k, Phase.BACKWARD, v[0], v[1])));
        return out;
    }

    /** The recorded time in all entries. */
    public long totalNanos() {
        long t = 0;
        for (Entry e : entries()) t += e.nanos();
        return t;
    }

    /**
     * The entries as a table, largest first: calls and milliseconds per step ({@code steps} being how many
     * steps were recorded) and each entry's share of the recorded total.
     */
    public String table(int steps) {
        if (steps <= 0) throw new IllegalArgumentException("OpProfile.table: steps must be positive; got " + steps);
        List<Entry> all = entries();
        all.sort(Comparator.comparingLong(Entry::nanos).reversed());
        long total = totalNanos();
        int width = "op".length();
        for (Entry e : all) width = Math.max(width, e.op().length());
        StringBuilder sb = new StringBuilder();
        String row = "%-" + width + "s  %-8s  %10s  %10s  %6s%n";
        sb.append(String.format(Locale.ROOT, row, "op", "phase", "calls/step", "ms/step", "share"));
        for (Entry e : all) {
            sb.append(String.format(Locale.ROOT, row, e.op(), e.phase().name().toLowerCase(Locale.ROOT),
                    String.format(Locale.ROOT, "%.1f", e.calls() / (double) steps),
                    String.format(Locale.ROOT, "%.3f", e.nanos() / 1e6 / steps),
                    String.format(Locale.ROOT, "%.1f%%", total == 0 ? 0 : 100.0 * e.nanos() / total)));
        }
        sb.append(String.format(Locale.ROOT, row, "(all ops)", "", "", String.format(Locale.ROOT, "%.3f", total / 1e6 / steps), ""));
        return sb.toString();
    }
}
