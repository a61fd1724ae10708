package dev.recurrent.backend.cpu;

import dev.recurrent.core.backend.CellKind;
import dev.recurrent.core.backend.Storage;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Whole-sequence recurrent kernels ({@code Backend#recurrence} and {@code Backend#recurrenceBackward}) over
 * buffers, heap or direct, with the matrix products left to the backend through {@link BufferGemm}: one
 * product and one pointwise pass per time step, results written straight into their place in the output
 * (no allocation per step; the scratch space is part of {@code saved}). See {@link CellKind} for the math.
 *
 * <p>Forward, per step t in run order: {@code hw = h_prev·W_hhᵀ} (Elman: accumulated onto a copy of xp in
 * {@code out[0, t]} itself), then the pointwise pass writes h (and c) into {@code out} and keeps what the
 * backward needs in {@code saved}:
 * <pre>
 *  TANH, RELU: nothing (act' comes from h: 1 - h², h > 0)
 *  LSTM: [T, B, 4H] activated gates i, f, g, o | [T, B, H] tanh(c) | [B, 4H] scratch for hw
 *  GRU:  [T, B, 4H] r, z, n, b_n (b_n = (h·W_hhᵀ + b_hh)_n) | [B, 3H] scratch for hw
 * </pre>
 * (LSTM and GRU take hw in the scratch block and the pointwise pass adds xp as it reads it, rather than
 * copying xp into {@code saved} and accumulating the product there: one pass less over {@code [T, B, G·H]}.)
 * Backward, per step in reverse run order: the pointwise pass writes the gate gradient of step t into
 * {@code dxp[t]} (GRU: the input side there, the hidden side into {@code work[t]}), then
 * {@code dh_prev = dgates_t·W_hh} (+ the direct term for GRU) in one product. {@code d init} are the
 * running dh (and dc) themselves. After the loop, {@code dW_hh = Σ_t dgates_tᵀ·h_prev(t)} is two products
 * over all steps (h_prev of every step but the first is a contiguous run of {@code out[0]}), and
 * {@code db_hh} the column sums of {@code work}.
 *
 * <p>Threads: the rows of a recurrence are independent, so the batch is split into slices ({@link #parts})
 * that run every step side by side on a {@link Crew}, each with its own row arrays and its own
 * single-threaded products ({@link BufferGemm#lane()}); nothing is handed over between steps, and each
 * row is computed by the same code whatever the split (the results do not depend on the thread count).
 * Where the batch allows two groups of rows a thread, the steps run on a shared schedule instead
 * ({@link Groups}): a thread that gets ahead takes on steps of a slower one's rows.
 * The weight gradient's products after the steps go through the backend's own gemm, and the column sums
 * are split by columns.
 */
public final class RecurrenceKernels {
    private RecurrenceKernels() { }

    // ---- sizes and checks -------------------------------------------------------------------------

    /** Elements of the {@code saved} buffer of {@link #forward} (0: nothing saved, pass null). */
    public static int savedSize(CellKind kind, int steps, int batch, int hidden) {
        long bh = (long) batch * hidden, tbh = steps * bh;
        long n = switch (kind) {
            case TANH, RELU -> 0;
            case LSTM -> 5 * tbh + 4 * bh;
            case GRU -> 4 * tbh + 3 * bh;
        };
        return elements(n, "saved", kind);
    }

    /** Elements of the {@code work} buffer of {@link #backward} (0: none, pass null). */
    public static int workSize(CellKind kind, int steps, int batch, int hidden) {
        return kind == CellKind.GRU ? elements(3L * steps * batch * hidden, "work", kind) : 0;
    }

    private static int elements(long n, String what, CellKind kind) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("recurrence (" + kind + "): the " + what + " buffer would need " + n
                    + " elements, more than 2^31-1");
        }
        return (int) n;
    }

    /**
     * Checks the arguments of {@code Backend#recurrence}: sizes against steps, batch and hidden, one dtype, S
     * initial states, {@code bhh} for GRU. Fails with an {@link IllegalArgumentException} naming the kernel,
     * the argument, and what was expected and given.
     */
    public static void checkForward(String backend, CellKind kind, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                    int steps, int batch, int hidden) {
        String op = backend + " recurrence";
        if (kind == null) throw new IllegalArgumentException(op + ": cell kind is null");
        op += " (" + kind + ", steps " + steps + ", batch " + batch + ", hidden " + hidden + ")";
        if (steps < 0 || batch < 0 || hidden < 0) throw new IllegalArgumentException(op + ": sizes must be >= 0");
        int g = kind.gates();
        long gh = (long) g * hidden, state = (long) batch * hidden;
        elements((long) kind.states() * steps * state, "out", kind);
        requireSize(op, "xp", xp, (long) steps * batch * gh, "steps·batch·" + g + "·hidden");
        requireSize(op, "whh", whh, gh * hidden, g + "·hidden·hidden");
        sameDtype(op, "whh", xp, whh);
        if (kind.hiddenBias()) {
            requireSize(op, "bhh", bhh, gh, g + "·hidden");
            sameDtype(op, "bhh", xp, bhh);
        }
        if (init == null || init.length != kind.states()) {
            throw new IllegalArgumentException(op + ": expected " + kind.states() + " initial state(s), got "
                    + (init == null ? "null" : init.length));
        }
        for (int s = 0; s < init.length; s++) {
            requireSize(op, "init[" + s + "]", init[s], state, "batch·hidden");
            sameDtype(op, "init[" + s + "]", xp, init[s]);
        }
    }

    /** {@link #checkForward} and the backward's own arguments: out and grad of {@code [S, T, B, H]}, saved. */
    public static void checkBackward(String backend, CellKind kind, Storage xp, Storage whh, Storage bhh, Storage[] init,
                                     Storage out, Storage saved, Storage grad, int steps, int batch, int hidden) {
        checkForward(backend, kind, xp, whh, bhh, init, steps, batch, hidden);
        String op = backend + " recurrenceBackward (" + kind + ", steps " + steps + ", batch " + batch + ", hidden " + hidden + ")";
        long outSize = (long) kind.states() * steps * batch * hidden;
        requireSize(op, "out", out, outSize, kind.states() + "·steps·batch·hidden");
        requireSize(op, "grad", grad, outSize, kind.states() + "·steps·batch·hidden");
        sameDtype(op, "out", xp, out);
        sameDtype(op, "grad", xp, grad);
        if (saved != null) {
            requireSize(op, "saved", saved, savedSize(kind, steps, batch, hidden), "what this backend's recurrence saved");
            sameDtype(op, "saved", xp, saved);
        }
    }

    private static void requireSize(String op, String name, Storage s, long expected, String formula) {
        if (s == null) throw new IllegalArgumentException(op + ": " + name + " is null; expected " + expected + " elements");
        if (s.size() != expected) {
            throw new IllegalArgumentException(op + ": " + name + " has " + s.size() + " elements; expected "
                    + formula + " = " + expected);
        }
    }

    private static void sameDtype(String op, String name, Storage xp, Storage s) {
        if (s.dtype() != xp.dtype()) {
            throw new IllegalArgumentException(op + ": " + name + " is " + s.dtype() + " but xp is " + xp.dtype()
                    + "; every storage must share one dtype");
        }
    }

    // ---- kernels ----------------------------------------------------------------------------------

    /**
     * The forward pass: writes {@code out:[S, T, B, H]} (every element) and {@code saved} (of
     * {@link #savedSize}; null for Elman). {@code whh} is {@code W_hh:[G·H, H]}, or {@code W_hhᵀ:[H, G·H]}
     * when {@code whhTransposed} (whichever the backend's products prefer); {@code bhh} is used by GRU only.
     * {@code crew} (null: the caller alone) splits the batch, see {@link #parts}; each slice's step products
     * go to a {@link BufferGemm#lane() lane} of {@code gemm}.
     */
    public static void forward(CellKind kind, boolean reverse, FloatBuffer xp, FloatBuffer whh, boolean whhTransposed,
                               FloatBuffer bhh, FloatBuffer[] init, FloatBuffer out, FloatBuffer saved,
                               int steps, int batch, int hidden, BufferGemm gemm, Crew crew) {
        runSteps(Groups.forward, crew, batch, steps, gemm, () -> new FloatRecurrenceSteps(kind.gates(), hidden), (s, lane, b0, b1, i) ->
                forwardStep(s, kind, reverse, xp, whh, whhTransposed, bhh, init, out, saved, steps, batch, hidden, lane, b0, b1, i));
    }

    /** F64 {@link #forward(CellKind, boolean, FloatBuffer, FloatBuffer, boolean, FloatBuffer, FloatBuffer[], FloatBuffer, FloatBuffer, int, int, int, BufferGemm, Crew)}. */
    public static void forward(CellKind kind, boolean reverse, DoubleBuffer xp, DoubleBuffer whh, boolean whhTransposed,
                               DoubleBuffer bhh, DoubleBuffer[] init, DoubleBuffer out, DoubleBuffer saved,
                               int steps, int batch, int hidden, BufferGemm gemm, Crew crew) {
        runSteps(Groups.forward, crew, batch, steps, gemm, () -> new DoubleRecurrenceSteps(hidden), (s, lane, b0, b1, i) ->
                forwardStep(s, kind, reverse, xp, whh, whhTransposed, bhh, init, out, saved, steps, batch, hidden, lane, b0, b1, i));
    }

    /**
     * The backward pass given {@code grad:[S, T, B, H]} and the forward's {@code out} and {@code saved}: writes
     * {@code dxp:[T, B, G·H]}, {@code dwhh:[G·H, H]}, {@code dbhh:[G·H]} (GRU; else null) and {@code dinit}
     * (S buffers of {@code [B, H]}), every element. {@code whh} is {@code W_hh:[G·H, H]}, or
     * {@code W_hhᵀ:[H, G·H]} when {@code whhTransposed}; {@code work} has {@link #workSize} elements (GRU;
     * else null). {@code crew} splits the batch for the steps as in the forward; {@code dW_hh} is then one
     * product through {@code gemm} itself, on the caller.
     */
    public static void backward(CellKind kind, boolean reverse, FloatBuffer whh, boolean whhTransposed, FloatBuffer[] init,
                                FloatBuffer out, FloatBuffer saved, FloatBuffer grad, FloatBuffer dxp, FloatBuffer dwhh,
                                FloatBuffer dbhh, FloatBuffer[] dinit, FloatBuffer work, int steps, int batch, int hidden,
                                BufferGemm gemm, Crew crew) {
        runBackward(crew, batch, steps, hidden, dinit, gemm, () -> new FloatRecurrenceSteps(kind.gates(), hidden), (s, lane, b0, b1, i) ->
                backwardStep(s, kind, reverse, whh, whhTransposed, init, out, saved, grad, dxp, dinit, work, steps, batch,
                        hidden, lane, b0, b1, i));
        weightGradients(new FloatRecurrenceSteps(kind.gates(), hidden), kind, reverse, init, out, dxp, dwhh, dbhh, work,
                steps, batch, hidden, gemm, crew);
    }

    /** F64 {@link #backward(CellKind, boolean, FloatBuffer, boolean, FloatBuffer[], FloatBuffer, FloatBuffer, FloatBuffer, FloatBuffer, FloatBuffer, FloatBuffer, FloatBuffer[], FloatBuffer, int, int, int, BufferGemm, Crew)}. */
    public static void backward(CellKind kind, boolean reverse, DoubleBuffer whh, boolean whhTransposed, DoubleBuffer[] init,
                                DoubleBuffer out, DoubleBuffer saved, DoubleBuffer grad, DoubleBuffer dxp, DoubleBuffer dwhh,
                                DoubleBuffer dbhh, DoubleBuffer[] dinit, DoubleBuffer work, int steps, int batch, int hidden,
                                BufferGemm gemm, Crew crew) {
        runBackward(crew, batch, steps, hidden, dinit, gemm, () -> new DoubleRecurrenceSteps(hidden), (s, lane, b0, b1, i) ->
                backwardStep(s, kind, reverse, whh, whhTransposed, init, out, saved, grad, dxp, dinit, work, steps, batch,
                        hidden, lane, b0, b1, i));
        weightGradients(new DoubleRecurrenceSteps(hidden), kind, reverse, init, out, dxp, dwhh, dbhh, work, steps, batch,
                hidden, gemm, crew);
    }

    /** A pass's steps: on the shared schedule ({@link Groups}) where it is {@code shared} and taken, else in fixed slices. */
    private static void runSteps(boolean shared, Crew crew, int batch, int steps, BufferGemm gemm, Supplier<RecurrenceSteps> arrays,
                                 Groups.Step step) {
        if (shared && Groups.taken(crew, batch, steps)) {
            Groups.run(crew, batch, steps, gemm, arrays, step);
            return;
        }
        Slices.run(crew, batch, gemm, (lane, b0, b1) -> {
            RecurrenceSteps s = arrays.get();
            for (int i = 0; i < steps; i++) step.run(s, lane, b0, b1, i);
        });
    }

    /** The backward's steps; with none, {@code dinit} (which the first step zeroes) is zeroed here. */
    private static void runBackward(Crew crew, int batch, int steps, int hidden, Buffer[] dinit, BufferGemm gemm,
                                    Supplier<RecurrenceSteps> arrays, Groups.Step step) {
        if (steps == 0) {
            RecurrenceSteps s = arrays.get();
            for (Buffer d : dinit) s.zero(d, 0, batch * hidden);
            return;
        }
        runSteps(Groups.backward, crew, batch, steps, gemm, arrays, step);
    }

    /** Batch rows from which a second slice pays for its hand-over (a few tens of microseconds a call). */
    static final int MIN_ROWS_PER_PART = 4;

    /**
     * How many batch slices run the sequence side by side: the rows of a recurrence are independent, so each
     * slice runs every step on its own thread with its own products, and there is no hand-over per step.
     * One per thread of the crew, with at least {@link #MIN_ROWS_PER_PART} rows each.
     */
    public static int parts(Crew crew, int batch) {
        if (crew == null) return 1;
        return Math.max(1, Math.min(crew.size(), batch / MIN_ROWS_PER_PART));
    }

    /** Columns from which a second part of a column sum pays for its hand-over. */
    static final int MIN_COLUMNS_PER_PART = 256;

    /**
     * {@code out = } the column sums of {@code x:[rows, cols]}, the columns split over the crew (each part the
     * same additions in the same order, so the result does not depend on the split).
     */
    static void columnSums(RecurrenceSteps s, Crew crew, Buffer x, int rows, int cols, Buffer out) {
        int parts = crew == null ? 1 : Math.max(1, Math.min(crew.size(), cols / MIN_COLUMNS_PER_PART));
        if (parts == 1) {
            s.columnSums(x, rows, cols, 0, cols, out);
            return;
        }
        crew.runRanges(parts, cols, (p, from, to) -> s.columnSums(x, rows, cols, from, to, out));
    }

    /** Runs a job on batch slices {@code [b0, b1)}, one per part of the crew, each with a lane of the gemm. */
    static final class Slices {
        private Slices() { }

        interface Slice { void run(BufferGemm lane, int b0, int b1); }

        static void run(Crew crew, int batch, BufferGemm gemm, Slice slice) {
            int parts = parts(crew, batch);
            BufferGemm[] lanes = new BufferGemm[parts];
            for (int p = 0; p < parts; p++) lanes[p] = gemm.lane();           // on the caller, before any slice runs
            if (parts == 1) {
                slice.run(lanes[0], 0, batch);
                return;
            }
            crew.runRanges(parts, batch, (p, b0, b1) -> slice.run(lanes[p], b0, b1));
        }
    }

    /**
     * The steps of the forward and the backward on a shared schedule, so that a thread that gets ahead takes on
     * steps of a slower one's rows instead of waiting for it at the end. The batch is cut into
     * {@link #GROUPS_PER_THREAD} groups of rows per thread of the crew (each of at least
     * {@link #MIN_ROWS_PER_PART} rows); a group's steps run in order, one at a time, each by whichever thread
     * takes it. A thread runs the steps of its own groups in turn and, once those are done, steps of the other
     * groups that no thread is running, the one furthest behind first. Each thread has its lane and its row
     * arrays ({@link RecurrenceSteps}); a group's step computes the same values on any thread (its products are
     * the same shape, on the same weights), so the results do not depend on which thread ran what.
     *
     * <p>Why: the slices of {@link Slices} took different times on the 2-vCPU guest, whose two cores run at
     * different speeds for a while (one slice of a W1 LSTM backward in 5.4-7.5 ms, the other in 9.3-9.8 ms, in
     * consecutive calls), and the faster one then idled: a median of 0.8 ms a call, forward and backward alike,
     * more when the host is busy. A group has half a slice's rows; the small-matrix products cost about the same
     * per row either way (one thread, medians of 15 interleaved rounds: the backward's 16 x 1024 x 256 121.6 µs,
     * two of 8 rows 123.3; the forward's 16 x 256 x 1024 173 µs, two of 8 rows 178, in blocks of 128 columns).
     */
    static final class Groups {
        private Groups() { }

        /** A step of a group: step i (in the pass's order) of rows {@code [b0, b1)} on a thread's lane and arrays. */
        interface Step { void run(RecurrenceSteps s, BufferGemm lane, int b0, int b1, int i); }

        /** For tests: when set, called before every step with the running thread's part (0: the caller). */
        static volatile IntConsumer beforeStep;

        /** Off only to measure the schedule against the fixed slices, side by side in one JVM: the backward's, the forward's. */
        static volatile boolean forward = true, backward = true;

        /** Whether the steps take the shared schedule: two or more threads, and rows for two groups a thread. */
        static boolean taken(Crew crew, int batch, int steps) {
            int parts = parts(crew, batch);
            return parts > 1 && steps > 0 && batch / (parts * GROUPS_PER_THREAD) >= MIN_ROWS_PER_PART;
        }

        static void run(Crew crew, int batch, int steps, BufferGemm gemm, Supplier<RecurrenceSteps> arrays, Step step) {
            int parts = parts(crew, batch), groups = parts * GROUPS_PER_THREAD;
            int[] bound = new int[groups + 1];
            for (int g = 0; g <= groups; g++) bound[g] = (int) ((long) batch * g / groups);
            BufferGemm[] lanes = new BufferGemm[parts];
            for (int p = 0; p < parts; p++) lanes[p] = gemm.lane();           // on the caller, before any part runs
            AtomicIntegerArray next = new AtomicIntegerArray(groups);
            AtomicIntegerArray running = new AtomicIntegerArray(groups);
            AtomicBoolean failed = new AtomicBoolean();
            crew.run(parts, p -> {
                RecurrenceSteps s = arrays.get();
                int home = p * GROUPS_PER_THREAD, turn = 0;
                for (int idle = 0; !failed.get(); ) {
                    int g = pick(next, running, steps, home, turn++);
                    if (g == -2) return;                                   // every group is done
                    if (g < 0) {                                           // the rest are running elsewhere
                        if (++idle < 1000) Thread.onSpinWait();
                        else Thread.yield();
                        continue;
                    }
                    idle = 0;
                    try {
                        int i = next.get(g);
                        if (i < steps) {
                            IntConsumer hook = beforeStep;
                            if (hook != null) hook.accept(p);
                            step.run(s, lanes[p], bound[g], bound[g + 1], i);
                            next.set(g, i + 1);
                        }
                    } catch (RuntimeException | Error e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        running.set(g, 0);
                    }
                }
            });
        }

        /**
         * Claims a group for one step and returns it: one of the thread's own two (from {@code home}, taking
         * turns) while either has steps left, else the other group furthest behind that no thread is running;
         * -1 when every group with steps left is running, -2 when none has steps left.
         */
        private static int pick(AtomicIntegerArray next,
                                AtomicIntegerArray running, int steps, int home, int turn) {
            for (int q = 0; q < GROUPS_PER_THREAD; q++) {
                int g = home + (turn + q) % GROUPS_PER_THREAD;
                if (next.get(g) < steps && running.compareAndSet(g, 0, 1)) {
                    if (next.get(g) < steps) return g;
                    running.set(g, 0);
                }
            }
            while (true) {
                boolean left = false;
                int best = -1;
                for (int g = 0; g < next.length(); g++) {
                    int n = next.get(g);
                    if (n >= steps) continue;
                    left = true;
                    if (running.get(g) == 0 && (best < 0 || n < next.get(best))) best = g;
                }
                if (best < 0) return left ? -1 : -2;
                if (running.compareAndSet(best, 0, 1)) {
                    if (next.get(best) < steps) return best;
                    running.set(best, 0);
                }
            }
        }
    }

    /** Groups of rows per thread of the shared schedule ({@link Groups}). */
    static final int GROUPS_PER_THREAD = 2;

    /**
     * The forward's i-th step (in run order) over batch rows {@code [b0, b1)} of {@code batch} (offsets and
     * strides are the whole batch's), its product through {@code gemm}, the running thread's lane. Steps of a
     * set of rows must run in order; any thread may run any of them, one at a time.
     */
    private static void forwardStep(RecurrenceSteps s, CellKind kind, boolean reverse, Buffer xp, Buffer whh, boolean whhT,
                                    Buffer bhh, Buffer[] init, Buffer out, Buffer saved, int steps, int batch, int hidden,
                                    BufferGemm gemm, int b0, int b1, int i) {
        if (hidden == 0 || b1 == b0) return;           // every output is empty
        int gh = kind.gates() * hidden, bh = batch * hidden, rows = batch * gh, cOut = steps * bh, nb = b1 - b0;
        int e0 = b0 * hidden, g0 = b0 * gh;             // the rows' first element of a state / gate window
        boolean transB = !whhT;                         // hw = h·W_hhᵀ: B is W_hh [G·H, H] used transposed
        int scratch = (kind == CellKind.LSTM ? 5 * steps * bh : 4 * steps * bh) + g0;
        int t = reverse ? steps - 1 - i : i, p = reverse ? t + 1 : t - 1;
        Buffer hb = i == 0 ? init[0] : out;
        int ho = (i == 0 ? 0 : p * bh) + e0;
        switch (kind) {
            case TANH, RELU -> {
                s.copy(xp, t * bh + e0, out, t * bh + e0, nb * hidden);
                s.gemm(gemm, hb, ho, false, whh, 0, transB, out, t * bh + e0, true, nb, gh, hidden);
                s.elman(kind == CellKind.RELU, out, t * bh + e0, nb * hidden);
            }
            case LSTM -> {
                Buffer cb = i == 0 ? init[1] : out;
                int co = (i == 0 ? 0 : cOut + p * bh) + e0;
                s.gemm(gemm, hb, ho, false, whh, 0, transB, saved, scratch, false, nb, gh, hidden);
                s.lstm(xp, t * rows + g0, saved, scratch, cb, co, saved, t * rows + g0, 4 * steps * bh + t * bh + e0,
                        out, t * bh + e0, cOut + t * bh + e0, nb);
            }
            case GRU -> {
                s.gemm(gemm, hb, ho, false, whh, 0, transB, saved, scratch, false, nb, gh, hidden);
                s.gru(xp, t * rows + g0, saved, scratch, bhh, hb, ho, saved, 4 * (t * bh + e0), out, t * bh + e0, nb);
            }
        }
    }

    /**
     * The backward's i-th step (in reverse run order) over batch rows {@code [b0, b1)}; the first also zeroes
     * those rows of {@code dinit}, the running dh (and dc). Steps of a set of rows must run in order; any
     * thread may run any of them, one at a time.
     */
    private static void backwardStep(RecurrenceSteps s, CellKind kind, boolean reverse, Buffer whh, boolean whhT,
                                     Buffer[] init, Buffer out, Buffer saved, Buffer grad, Buffer dxp, Buffer[] dinit,
                                     Buffer work, int steps, int batch, int hidden, BufferGemm gemm, int b0, int b1, int i) {
        if (hidden == 0 || b1 == b0) return;           // every output is empty
        int gh = kind.gates() * hidden, bh = batch * hidden, rows = batch * gh, cOut = steps * bh, nb = b1 - b0;
        int e0 = b0 * hidden, g0 = b0 * gh;
        // dh = dgates·W_hh: B is W_hh [G·H, H] as stored, or W_hhᵀ [H, G·H] used transposed
        if (i == 0) for (Buffer d : dinit) s.zero(d, e0, nb * hidden);
        Buffer dh = dinit[0];
        int t = reverse ? i : steps - 1 - i;                           // the forward's run order, backwards
        boolean first = reverse ? t == steps - 1 : t == 0;
        int p = reverse ? t + 1 : t - 1;
        Buffer hb = first ? init[0] : out;
        int ho = (first ? 0 : p * bh) + e0;
        switch (kind) {
            case TANH, RELU -> {
                s.elmanBackward(kind == CellKind.RELU, grad, t * bh + e0, dh, e0, out, t * bh + e0, dxp, t * bh + e0,
                        nb * hidden);
                s.gemm(gemm, dxp, t * bh + e0, false, whh, 0, whhT, dh, e0, false, nb, hidden, gh);
            }
            case LSTM -> {
                Buffer cb = first ? init[1] : out;
                int co = (first ? 0 : cOut + p * bh) + e0;
                s.lstmBackward(grad, t * bh + e0, cOut + t * bh + e0, dh, dinit[1], e0, saved, t * rows + g0,
                        4 * steps * bh + t * bh + e0, cb, co, dxp, t * rows + g0, nb);
                s.gemm(gemm, dxp, t * rows + g0, false, whh, 0, whhT, dh, e0, false, nb, hidden, gh);
            }
            case GRU -> {
                s.gruBackward(grad, t * bh + e0, dh, e0, saved, 4 * (t * bh + e0), hb, ho, dxp, t * rows + g0,
                        work, t * rows + g0, nb);
                s.gemm(gemm, work, t * rows + g0, false, whh, 0, whhT, dh, e0, true, nb, hidden, gh);
            }
        }
    }

    /**
     * After the steps: {@code dW_hh = Σ_t dgates_tᵀ·h_prev(t)}, the steps whose h_prev is a row of out[0] in
     * one product (A is dgates [(T-1)·B, G·H] read transposed), then the step that started from init[0];
     * and GRU's {@code db_hh}, the column sums of {@code work}.
     */
    private static void weightGradients(RecurrenceSteps s, CellKind kind, boolean reverse, Buffer[] init, Buffer out,
                                        Buffer dxp, Buffer dwhh, Buffer dbhh, Buffer work, int steps, int batch, int hidden,
                                        BufferGemm gemm, Crew crew) {
        if (hidden == 0) return;
        int gh = kind.gates() * hidden, bh = batch * hidden, rows = batch * gh;
        Buffer dg = kind == CellKind.GRU ? work : dxp;
        if (steps == 0) {
            s.zero(dwhh, 0, gh * hidden);
        } else {
            if (steps > 1) {
                s.gemm(gemm, dg, reverse ? 0 : rows, true, out, reverse ? bh : 0, false, dwhh, 0, false,
                        gh, hidden, (steps - 1) * batch);
            }
            s.gemm(gemm, dg, reverse ? (steps - 1) * rows : 0, true, init[0], 0, false, dwhh, 0, steps > 1, gh, hidden, batch);
        }
        if (kind == CellKind.GRU) columnSums(s, crew, work, steps * batch, gh, dbhh);
    }
}
