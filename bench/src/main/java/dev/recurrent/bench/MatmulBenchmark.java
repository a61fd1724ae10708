package dev.recurrent.bench;

import dev.recurrent.core.DType;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.core.backend.Storage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * F32 matrix products {@code [m x k]·[k x n]} at the shapes recurrent layers use, on the {@code java} and
 * {@code openblas} backends, through the Backend SPI exactly as core calls it (a new result storage per
 * call, released at once: the allocation is part of what is measured, as in training).
 *
 * <p>GFLOP/s. The JMH score is products per second (throughput mode); GFLOP/s = score · 2·m·n·k / 10^9.
 * Running this class's {@link #main} (rather than {@code org.openjdk.jmh.Main}) runs JMH with the same
 * command-line options and then prints that conversion as a table: the mean over measurement iterations
 * (the JMH score) and the best iteration (what the C harness also reports, for runs on a shared machine). OpenBLAS threads: {@code -jvmArgs
 * -Drnn.blas.threads=N} (default all cores); the C baseline is {@code bench/c/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MatmulBenchmark {
    /** {@code m x k x n}: a is [m, k], b is [k, n]. */
    @Param({"32x384x1024", "64x1024x2048", "1600x128x1024", "1024x1024x1024"})
    public String shape;

    @Param({"java", "openblas"})
    public String backend;

    private Backend be;
    private Storage a;
    private Storage b;
    private int m;
    private int k;
    private int n;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = dims(shape);
        m = d[0];
        k = d[1];
        n = d[2];
        be = Backends.get(backend);
        System.out.println("# backend: " + be.describe());
        Random random = new Random(42);
        a = be.fromArray(DType.F32, randomFloats(random, m * k));
        b = be.fromArray(DType.F32, randomFloats(random, k * n));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.release();
        b.release();
    }

    @Benchmark
    public int matmul() {
        Storage c = be.matmul(a, false, 0, b, false, 0, 1, m, n, k);
        int size = c.size();
        c.release();
        return size;
    }

    static int[] dims(String shape) {
        String[] p = shape.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    private static float[] randomFloats(Random random, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = random.nextFloat() - 0.5f;
        return x;
    }

    /** Runs this benchmark with JMH's usual command-line options, then prints GFLOP/s per backend and shape. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) options.include(MatmulBenchmark.class.getSimpleName());
        options.mode(Mode.Throughput).timeUnit(TimeUnit.SECONDS); // the conversion below assumes products per second
        Collection<RunResult> results = new Runner(options.build()).run();
        System.out.printf("%n%-16s %-9s %14s %14s %14s%n", "shape (mxkxn)", "backend", "products/s", "mean GFLOP/s", "best GFLOP/s");
        for (RunResult r : results) {
            String s = r.getParams().getParam("shape");
            int[] d = dims(s);
            double flop = 2.0 * d[0] * d[1] * d[2];
            double mean = r.getPrimaryResult().getScore(), best = 0;
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                for (IterationResult i : b.getIterationResults()) best = Math.max(best, i.getPrimaryResult().getScore());
            }
            System.out.printf("%-16s %-9s %14.2f %14.2f %14.2f%n", s, r.getParams().getParam("backend"), mean,
                    mean * flop / 1e9, best * flop / 1e9);
        }
    }
}
