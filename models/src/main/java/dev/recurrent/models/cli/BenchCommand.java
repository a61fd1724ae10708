package dev.recurrent.models.cli;

import dev.recurrent.core.DType;
import dev.recurrent.core.MemoryScope;
import dev.recurrent.core.OpProfile;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.layers.CellFactory;
import dev.recurrent.models.layers.Recurrent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

/**
 * {@code rnn bench}: times training steps of one recurrent layer. A step is a forward pass over the whole
 * sequence through {@link Recurrent}, loss = the sum of every output, and backward to every parameter (no
 * optimizer update), inside a {@link MemoryScope} so off-heap memory is freed at the end of each step.
 * GFLOP/s counts the products only: 3 x 2·T·B·(I+H)·G·H (forward, and the two products of backward).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Times training steps (forward over the sequence, loss = sum of outputs, backward) of one recurrent layer; the last line printed is the median in ms.")
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    /** Runs {@code rnn bench} on its own ({@code java -cp rnn.jar dev.recurrent.models.cli.BenchCommand ...}). */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true), err = new PrintWriter(System.err, true);
        System.exit(Main.execute(new picocli.CommandLine(new BenchCommand()), out, err, args));
    }

    @Option(names = "--cell", paramLabel = "C", defaultValue = "lstm", description = "elman, lstm or gru (default: ${DEFAULT-VALUE}).")
    String cell;
    @Option(names = "--batch", paramLabel = "B", defaultValue = "32", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--steps", paramLabel = "T", defaultValue = "50", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--input", paramLabel = "I", defaultValue = "128", description = "Input features (default: ${DEFAULT-VALUE}).")
    int input;
    @Option(names = "--hidden", paramLabel = "H", defaultValue = "256", description = "Hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;
    @Option(names = "--backend", paramLabel = "NAME", description = "Backend (default: -Drnn.backend, RNN_BACKEND, else the best available).")
    String backend;
    @Option(names = "--dtype", paramLabel = "F32|F64", defaultValue = "F32", description = "Element type (default: ${DEFAULT-VALUE}).")
    String dtype;
    @Option(names = "--threads", paramLabel = "N", description = "Threads for the backend's products (sets -Drnn.blas.threads and -Drnn.java.threads before the backend is created).")
    Integer threads;
    // 20: the JIT reaches steady state after 15-18 W1 steps (about 2 s) when both cores run the kernels.
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "20", description = "Untimed steps first, at least (default: ${DEFAULT-VALUE}).")
    int warmup;
    // 6 s: in a W1 GRU run with -XX:+PrintCompilation, C2 compiled the activations, the step products' lane,
    // the column sums and the row sums between 3.2 and 5.4 s after start, so 3 s timed steps on C1 code
    // with the compiler thread taking a core (the first steps after a 3 s warm-up: 70-80 ms against 35-40).
    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "6",
            description = "Warm up for at least this long too (default: ${DEFAULT-VALUE}): the JIT needs seconds, not steps, to reach steady state (20 short Elman steps are 0.4 s, and measured 30-60%% slow; C2 still compiled W1's kernels 3 to 5.4 s in).")
    double warmupSeconds;
    @Option(names = "--repeat", paramLabel = "N", defaultValue = "15", description = "Timed steps (default: ${DEFAULT-VALUE}).")
    int repeat;
    @Option(names = "--json", description = "Print one JSON object (then the median on its own last line).")
    boolean json;
    @Option(names = "--profile", description = "Then time every op over as many more steps, forward and backward, and print a table of ms per step (before the median line).")
    boolean profile;

    @Override public Integer call() {
        if (threads != null) {
            Choices.positive("--threads", threads);
            System.setProperty("rnn.blas.threads", String.valueOf(threads));
            System.setProperty("rnn.java.threads", String.valueOf(threads));
        }
        Choices.positive("--batch", batch);
        Choices.positive("--steps", steps);
        Choices.positive("--input", input);
        Choices.positive("--hidden", hidden);
        Choices.positive("--repeat", repeat);
        if (warmup < 0) throw new IllegalArgumentException("--warmup: expected 0 or more; got " + warmup);
        if (!(warmupSeconds >= 0 && warmupSeconds <= 3600)) {
            throw new IllegalArgumentException("--warmup-seconds: expected 0 to 3600; got " + warmupSeconds);
        }
        int gates = switch (cell.toLowerCase(Locale.ROOT)) {
            case "elman", "rnn" -> 1;
            case "lstm" -> 4;
            case "gru" -> 3;
            default -> throw new IllegalArgumentException("--cell: expected elman, lstm or gru; got " + cell);
        };
        DType dt;
        try {
            dt = DType.valueOf(dtype.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dtype: expected F32 or F64; got " + dtype);
        }
        Backend be = Choices.backend(backend);
        Options o = Options.defaults().withBackend(be).withDtype(dt);
        Recurrent<?> layer = build(gates, o);
        xCache = Tensor.uniform(be, dt, Shape.of(steps, batch, input), -1, 1, new Random(7));
        PrintWriter out = spec.commandLine().getOut();

        int warmed = 0;
        long start = System.nanoTime(), warmupNanos = (long) (warmupSeconds * 1e9);
        for (; warmed < warmup || System.nanoTime() - start < warmupNanos; warmed++) {
            // The timed loop's own bookkeeping too: its first calls load and compile the memory beans' code,
            // and on a 2-core machine the compiler thread then took a core from the first timed steps.
            resetPeaks();
            step(layer);
            heapPeakBytes();
        }
        double[] ms = new double[repeat];
        long heapPeak = 0;
        for (int i = 0; i < repeat; i++) {
            resetPeaks();
            long t0 = System.nanoTime();
            step(layer);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            heapPeak = Math.max(heapPeak, heapPeakBytes());
        }
        double[] inOrder = ms.clone();
        Arrays.sort(ms);
        double median = repeat % 2 == 1 ? ms[repeat / 2] : (ms[repeat / 2 - 1] + ms[repeat / 2]) / 2;
        double flops = 3.0 * 2 * steps * batch * (double) (input + hidden) * gates * hidden;
        double gflops = flops / (median * 1e6);
        long peakStep = peakNativeBytes(be, layer);
        String name = cell.toLowerCase(Locale.ROOT);
        if (json) {
            out.printf(Locale.ROOT, "{\"cell\":\"%s\",\"batch\":%d,\"steps\":%d,\"input\":%d,\"hidden\":%d,\"dtype\":\"%s\","
                            + "\"backend\":\"%s\",\"describe\":\"%s\",\"median_ms\":%.3f,\"min_ms\":%.3f,\"max_ms\":%.3f,\"gflops\":%.2f,"
                            + "\"peak_step_bytes\":%d,\"heap_peak_bytes\":%d,\"repeat\":%d,\"warmup\":%d,\"steps_ms\":%s}%n",
                    name, batch, steps, input, hidden, dt, be.name(), be.describe().replace("\"", "'"), median, ms[0], ms[repeat - 1],
                    gflops, peakStep, heapPeak, repeat, warmed, jsonArray(inOrder));
        } else {
            out.println("bench " + name + " B=" + batch + " T=" + steps + " I=" + input + " H=" + hidden + " " + dt + " on " + be.describe());
            out.printf(Locale.ROOT, "training step: median %.2f ms, min %.2f ms, max %.2f ms over %d steps (%d warm-up)%n",
                    median, ms[0], ms[repeat - 1], repeat, warmed);
            out.printf(Locale.ROOT, "%.2f GFLOP/s (3 x 2·T·B·(I+H)·G·H = %.3g flops per step)%n", gflops, flops);
            if (peakStep >= 0) out.printf(Locale.ROOT, "peak memory of a step: %.1f MiB off-heap (live storages)%n", peakStep / 1048576.0);
            out.printf(Locale.ROOT, "peak heap during timed steps: %.1f MiB%n", heapPeak / 1048576.0);
        }
        if (profile) printProfile(layer, out);
        out.printf(Locale.ROOT, "%.3f%n", median);
        out.flush();
        return 0;
    }

    /**
     * {@code repeat} more steps with every op timed ({@link OpProfile}), after the timed ones so that the
     * timing does not touch them; the table's total against these steps' wall time is what lies between ops.
     */
    private void printProfile(Recurrent<?> layer, PrintWriter out) {
        long wall;
        String table;
        long recorded;
        try (OpProfile p = OpProfile.start()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < repeat; i++) step(layer);
            wall = System.nanoTime() - t0;
            table = p.table(repeat);
            recorded = p.totalNanos();
        }
        out.printf(Locale.ROOT, "op profile over %d more steps (%.2f ms a step, %.2f ms of it in ops):%n", repeat,
                wall / 1e6 / repeat, recorded / 1e6 / repeat);
        out.print(table);
    }

    private Recurrent<?> build(int gates, Options o) {
        CellFactory<?> f = switch (gates) {
            case 1 -> CellFactory.elman(hidden, Activation.TANH, o);
            case 4 -> CellFactory.lstm(hidden, o);
            default -> CellFactory.gru(hidden, o);
        };
        return Recurrent.builder(f).inputSize(input).seed(1).build();
    }

    private Tensor xCache;

    /** One training step: forward, loss = sum of outputs, backward; every storage made inside is freed at the end. */
    private void step(Recurrent<?> layer) {
        for (Parameter p : layer.parameters().values()) p.value().zeroGrad();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor loss = layer.forward(xCache).output().sum();
            loss.backward();
            for (Parameter p : layer.parameters().values()) p.value().zeroGrad();
        }
    }

    /**
     * Peak bytes of live native storage during one step, from the backend's counters when it has them (-1
     * otherwise): JavaCPP's count of allocated bytes less the blocks the backend keeps for reuse.
     */
    private long peakNativeBytes(Backend be, Recurrent<?> layer) {
        try {
            if (!be.name().equals("openblas")) return -1;
            Method total = Class.forName("org.bytedeco.javacpp.Pointer").getMethod("totalBytes");
            Method cached = be.getClass().getMethod("cachedBytes");
            PeakSampler s = new PeakSampler(() -> {
                try {
                    return (long) total.invoke(null) - (long) cached.invoke(be);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
            long base = s.live.getAsLong();
            s.start();
            step(layer);
            s.done = true;
            s.join();
            return Math.max(0, s.peak - base);
        } catch (ReflectiveOperationException | LinkageError | IllegalStateException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Polls a live-byte count (the step's peak, within the polling interval). */
    private static final class PeakSampler extends Thread {
        final LongSupplier live;
        volatile boolean done;
        volatile long peak;

        PeakSampler(LongSupplier live) { this.live = live; setDaemon(true); }

        @Override public void run() {
            while (!done) {
                peak = Math.max(peak, live.getAsLong());
                Thread.onSpinWait();
            }
        }
    }

    /** {@code [a, b, ...]}, each to the microsecond: every timed step in the order it ran (slow phases show as runs). */
    private static String jsonArray(double[] ms) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ms.length; i++) b.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", ms[i]));
        return b.append(']').toString();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    private static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        return sum;
    }
}
