package dev.recurrent.bench;

import dev.recurrent.core.DType;
import dev.recurrent.core.MemoryScope;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.models.Activation;
import dev.recurrent.models.Options;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.layers.CellFactory;
import dev.recurrent.models.layers.Recurrent;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One training step of a recurrent layer (forward over the sequence through {@link Recurrent}, loss = sum
 * of all outputs, backward to every parameter, no update), the workload of {@code rnn bench}, for every
 * cell on both backends:
 * <pre>
 *  W1 (batch 32, steps 50, input 128, hidden 256)    W1_T100: the same with 100 steps (allocation per step flat in T)
 *  W2 (64, 50, 512, 512)                             W3 (1, 100, 64, 128)
 * </pre>
 * Average time per step in ms. Allocation rate: add {@code -prof gc} (gc.alloc.rate.norm is bytes per
 * training step; divide by T: it should not grow with T). Quick mode, a few seconds per case:
 * {@code java -cp bench/target/benchmarks.jar dev.recurrent.bench.RecurrentBenchmark -quick [JMH options]}.
 * Threads: {@code -jvmArgs "-Drnn.blas.threads=2 -Drnn.java.threads=2"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecurrentBenchmark {
    @Param({"openblas", "java"})
    public String backend;

    @Param({"lstm", "gru", "elman"})
    public String cell;

    @Param({"W1", "W2", "W3"})
    public String workload;

    private Recurrent<?> layer;
    private Tensor x;

    @Setup
    public void setup() {
        int[] s = switch (workload) {                              // batch, steps, input, hidden
            case "W1" -> new int[] {32, 50, 128, 256};
            case "W1_T100" -> new int[] {32, 100, 128, 256};
            case "W2" -> new int[] {64, 50, 512, 512};
            case "W3" -> new int[] {1, 100, 64, 128};
            default -> throw new IllegalArgumentException("workload: W1, W1_T100, W2 or W3; got " + workload);
        };
        Backend be = Backends.get(backend);
        Options o = Options.defaults().withBackend(be).withDtype(DType.F32);
        CellFactory<?> f = switch (cell) {
            case "lstm" -> CellFactory.lstm(s[3], o);
            case "gru" -> CellFactory.gru(s[3], o);
            case "elman" -> CellFactory.elman(s[3], Activation.TANH, o);
            default -> throw new IllegalArgumentException("cell: lstm, gru or elman; got " + cell);
        };
        layer = Recurrent.builder(f).inputSize(s[2]).seed(1).build();
        x = Tensor.uniform(be, DType.F32, Shape.of(s[1], s[0], s[2]), -1, 1, new Random(7));
    }

    @Benchmark
    public double trainingStep() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor loss = layer.forward(x).output().sum();
            loss.backward();
            double v = 0;
            for (Parameter p : layer.parameters().values()) {
                v += p.value().grad().size();
                p.value().zeroGrad();
            }
            return v;
        }
    }

    /** JMH with its usual options; {@code -quick} first means 2 warm-up and 3 measurement iterations of 1 s. */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        boolean quick = args.length > 0 && args[0].equals("-quick");
        String[] rest = quick ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        OptionsBuilder b = new OptionsBuilder();
        b.parent(new CommandLineOptions(rest)).include(RecurrentBenchmark.class.getSimpleName());
        if (quick) b.warmupIterations(2).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
                .measurementIterations(3).measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1));
        new Runner(b.build()).run();
    }
}
