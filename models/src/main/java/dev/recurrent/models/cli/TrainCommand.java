package dev.recurrent.models.cli;

import dev.recurrent.core.backend.Backend;
import dev.recurrent.models.data.Corpus;
import dev.recurrent.models.data.Vocabulary;
import dev.recurrent.models.train.Checkpoints;
import dev.recurrent.models.train.TrainConfig;
import dev.recurrent.models.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code rnn train [options]}: the main job by default; see the help text. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, abbreviateSynopsis = true,
        description = {"Trains a recurrent network and writes metrics.csv, loss.png, the checkpoint and config.json into its folder.",
            "With no options: the main job, an LSTM learning the text shipped with the project (under a minute on two cores)."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  rnn train                                  the main job",
            "  rnn train --task hello --hidden 16 --steps 150",
            "  rnn train --task adding --seq-len 50 --cell gru --steps 2000",
            "  rnn train --text book.txt --layers 2 --tbptt 32,64 --out runs/book",
            "  rnn train --resume runs/book --steps 500   500 more steps, same folder",
            "  rnn sample --from runs/book                text from the trained model",
            "",
            "A resumed run keeps the settings saved in its checkpoint: only --steps,",
            "--backend, --out and --sample-every apply. It ends with bitwise the same",
            "weights as a run that was never interrupted (on the same backend)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:trained", "1:training stopped (a non-finite loss or gradient), or an internal error",
            "2:bad input (an option, a file, a checkpoint, the backend)"})
final class TrainCommand implements Callable<Integer> {
    private static final TrainConfig DEFAULTS = new TrainConfig();
    /** The options a resumed run may set; every other one is fixed by its checkpoint. */
    private static final List<String> RESUMABLE = List.of("--steps", "--backend", "--out", "--resume", "--sample-every");

    @Spec CommandSpec spec;
    @ParentCommand Main main;

    @Option(names = "--task", paramLabel = "TASK", description = "hello, adding, copy, sine, sine1 or text (default: ${DEFAULT-VALUE}).")
    String task = DEFAULTS.task;
    @Option(names = "--text", paramLabel = "FILE", description = "The UTF-8 text of the text task (default: the shipped one).")
    Path text;
    @Option(names = "--cell", paramLabel = "CELL", description = "elman, jordan, lstm or gru (default: ${DEFAULT-VALUE}).")
    String cell = DEFAULTS.cell;
    @Option(names = "--hidden", paramLabel = "H", description = "Hidden units per layer and direction (default: ${DEFAULT-VALUE}).")
    int hidden = DEFAULTS.hidden;
    @Option(names = "--layers", paramLabel = "N", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers = DEFAULTS.layers;
    @Option(names = "--bidirectional", description = "Also run each layer backwards (needs whole sequences: no --tbptt).")
    boolean bidirectional = DEFAULTS.bidirectional;
    @Option(names = "--dropout", paramLabel = "P", description = "Dropout between stacked layers, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double dropout = DEFAULTS.dropout;
    @Option(names = "--batch", paramLabel = "B", description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
    int batch = DEFAULTS.batch;
    @Option(names = "--seq-len", paramLabel = "T", description = "Steps per sequence; the copy task's delay; hello ignores it (default: ${DEFAULT-VALUE}).")
    int seqLen = DEFAULTS.seqLen;
    @Option(names = "--steps", paramLabel = "N", description = "Training steps (batches) (default: ${DEFAULT-VALUE}); with --resume, steps beyond the checkpoint (default: up to the saved total).")
    long steps = DEFAULTS.steps;
    @Option(names = "--lr", paramLabel = "RATE", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr = DEFAULTS.lr;
    @Option(names = "--optimizer", paramLabel = "NAME", description = "sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw (default: ${DEFAULT-VALUE}).")
    String optimizer = DEFAULTS.optimizer;
    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay = DEFAULTS.weightDecay;
    @Option(names = "--schedule", paramLabel = "SPEC", description = "Learning-rate schedule: constant, step(S,GAMMA), cosine(T,MIN), warmup(W,SPEC) (default: ${DEFAULT-VALUE}).")
    String schedule = DEFAULTS.schedule;
    @Option(names = "--clip", paramLabel = "NORM", description = "Clip gradients to this global norm; 0: off (default: ${DEFAULT-VALUE}).")
    double clip = DEFAULTS.clip;
    @Option(names = "--clip-value", paramLabel = "V", description = "Clip each gradient element to [-V, V]; 0: off (default: ${DEFAULT-VALUE}).")
    double clipValue = DEFAULTS.clipValue;
    @Option(names = "--tbptt", paramLabel = "K1,K2", description = "Truncated BPTT: update every K1 steps, backpropagate K2; 'full' for whole sequences (default: ${DEFAULT-VALUE}).")
    String tbptt = DEFAULTS.tbptt;
    @Option(names = "--dtype", paramLabel = "F32|F64", description = "Number type of weights and data (default: ${DEFAULT-VALUE}).")
    String dtype = DEFAULTS.dtype;
    @Option(names = "--seed", paramLabel = "S", description = "Seed of every random choice: data, initial weights, dropout (default: ${DEFAULT-VALUE}).")
    long seed = DEFAULTS.seed;
    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (default: -Drnn.backend, RNN_BACKEND, else the best available).")
    String backend;
    @Option(names = "--out", paramLabel = "DIR", description = "The run's folder; must be new or empty (default: runs/<time>-<task>-<cell>).")
    Path out;
    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR (a run folder, or a checkpoint directory).")
    Path resume;
    @Option(names = "--sample-every", paramLabel = "N", description = "Print a sample (character tasks) and save a checkpoint every N steps (default: a fifth of the run); 0: no samples.")
    Long sampleEvery;

    @Override public Integer call() throws IOException {
        Backend be = Choices.backend(backend);
        if (sampleEvery != null && sampleEvery < 0) throw new IllegalArgumentException("--sample-every: expected a number >= 0; got " + sampleEvery);
        Plan plan = resume == null ? fresh(be) : resumed(be);
        return new TrainingSession(plan.run, plan.dir, plan.keptRows, plan.savedAt, sampleEvery, spec.commandLine().getOut(),
                spec.commandLine().getErr(), main.terminal).run();
    }

    /** What to train, where, the metrics rows carried over from before a resume, and the step of the checkpoint already there (-1: none). */
    private record Plan(TrainingRun run, Path dir, List<String> keptRows, long savedAt) { }

    private Plan fresh(Backend be) {
        if (given("--steps")) Choices.positive("--steps", steps);
        TrainConfig c = config();
        TrainingRun run = TrainingRun.create(c, be);
        Path dir = out != null ? out : defaultFolder(c);
        requireNewOrEmpty(dir);
        return new Plan(run, dir, List.of(), -1);
    }

    private Plan resumed(Backend be) {
        for (var o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUMABLE.contains(o.longestName()) && !o.usageHelp() && !o.versionHelp()) {
                throw new IllegalArgumentException(o.longestName() + " cannot be changed when resuming: the run keeps the settings of its checkpoint ("
                        + Choices.checkpoint(resume).resolve(Checkpoints.CONFIG) + "); only " + String.join(", ", RESUMABLE) + " apply");
            }
        }
        Path ckpt = Choices.checkpoint(resume);
        long done = Checkpoints.read(ckpt, be).trainer().step();
        Long total = given("--steps") ? done + Choices.positive("--steps", steps) : null;
        TrainingRun run = TrainingRun.resume(ckpt, be, total);
        boolean runFolder = !ckpt.equals(resume);
        Path dir = out != null ? out : runFolder ? resume : defaultFolder(run.config());
        boolean inPlace = runFolder && sameFile(dir, resume);
        if (!inPlace) requireNewOrEmpty(dir);
        List<String> rows = runFolder ? MetricsLog.rowsUpTo(resume.resolve(MetricsLog.FILE), done) : List.of();
        return new Plan(run, dir, rows, inPlace ? done : -1);
    }

    /** The settings the options give. */
    private TrainConfig config() {
        TrainConfig c = new TrainConfig();
        c.task = task.trim().toLowerCase(Locale.ROOT);
        if (text != null) {
            if (given("--task") && !c.task.equals("text")) throw new IllegalArgumentException("--text FILE is the text of --task text; got --task " + task);
            try {
                Corpus.read(text);                  // fail now, naming the file as it was given
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--text: " + e.getMessage(), e);
            }
            c.text = text.toAbsolutePath().normalize().toString();     // the config must still find it from another folder
        }
        c.cell = cell.trim().toLowerCase(Locale.ROOT);
        c.hidden = hidden;
        c.layers = layers;
        c.bidirectional = bidirectional;
        c.dropout = dropout;
        c.batch = batch;
        c.seqLen = seqLen;
        c.steps = steps;
        c.lr = lr;
        c.optimizer = optimizer.trim().toLowerCase(Locale.ROOT);
        c.weightDecay = weightDecay;
        c.schedule = schedule.trim();
        c.clip = clip;
        c.clipValue = clipValue;
        c.tbptt = tbptt.trim();
        c.dtype = dtype.trim().toUpperCase(Locale.ROOT);
        c.seed = seed;
        return c.validate();
    }

    private boolean given(String option) { return spec.commandLine().getParseResult().hasMatchedOption(option); }

    /** runs/yyyyMMdd-HHmmss-TASK-CELL, with a -2, -3, ... suffix when two runs start in the same second. */
    private static Path defaultFolder(TrainConfig c) {
        String base = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + c.task + "-" + c.cell;
        Path p = Path.of("runs", base);
        for (int i = 2; Files.exists(p); i++) p = Path.of("runs", base + "-" + i);
        return p;
    }

    /** A run never writes over another: {@code dir} must not exist yet, or be an empty folder. */
    private static void requireNewOrEmpty(Path dir) {
        if (!Files.exists(dir)) return;
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--out: expected a new or empty folder; " + dir + " is a file");
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("--out: " + dir + " cannot be read: " + e.getMessage(), e);
        }
        if (names.isEmpty()) return;
        String shown = names.size() <= 4 ? String.join(", ", names) : String.join(", ", names.subList(0, 4)) + ", ...";
        throw new IllegalArgumentException("--out: expected a new or empty folder; " + dir + " already holds " + shown
                + " (continue that run with --resume " + dir + ", or choose another --out)");
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.exists(a) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** The default prime of samples from a model of {@code vocabulary} trained on {@code task}. */
    static String defaultPrime(Vocabulary vocabulary, String task) {
        if ("hello".equals(task)) return "h";
        if (vocabulary.contains('\n')) return "\n";
        if (vocabulary.contains(' ')) return " ";
        return vocabulary.decode(0);
    }
}
