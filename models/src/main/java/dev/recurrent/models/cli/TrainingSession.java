package dev.recurrent.models.cli;

import dev.recurrent.models.train.Checkpoints;
import dev.recurrent.models.train.JsonFiles;
import dev.recurrent.models.train.NonFiniteException;
import dev.recurrent.models.train.StepMetrics;
import dev.recurrent.models.train.TrainConfig;
import dev.recurrent.models.train.Trainer;
import dev.recurrent.models.train.TrainingRun;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One {@code rnn train} run once its settings and folder are settled: writes {@code config.json}, then
 * trains, appending to {@code metrics.csv} after every step, showing {@link Progress}, printing a sample
 * and saving the checkpoint every so often and at the end, and finally draws {@code loss.png}.
 *
 * <p>A non-finite loss or gradient stops the run before the bad update: the checkpoint on disk is the
 * last good one (the step it holds is named), the metrics and the plot show the run up to there.
 */
final class TrainingSession {
    static final String CONFIG = Checkpoints.CONFIG;

    private final TrainingRun run;
    private final Path dir, checkpoint;
    private final List<String> keptRows;
    private final long savedAt;
    private final Long sampleEvery;
    private final PrintWriter out, err;
    private final PrintStream terminal;
    private long lastSaved;

    /**
     * @param keptRows  metrics rows from before a resume
     * @param savedAt   the step of the checkpoint already in {@code dir} (resuming in place), else -1
     * @param terminal  where to draw a progress bar; null for plain lines
     */
    TrainingSession(TrainingRun run, Path dir, List<String> keptRows, long savedAt, Long sampleEvery, PrintWriter out, PrintWriter err,
                    PrintStream terminal) {
        this.run = run;
        this.dir = dir;
        this.checkpoint = dir.resolve(Choices.CHECKPOINT);
        this.keptRows = keptRows;
        this.savedAt = savedAt;
        this.sampleEvery = sampleEvery;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    /** Trains; returns the exit status. */
    int run() throws IOException {
        TrainConfig c = run.config();
        Trainer<?> trainer = run.trainer();
        long done = trainer.completedSteps(), total = c.steps;
        if (done >= total) {
            out.println("nothing to train: the checkpoint is at step " + done + " of " + total + "; give --steps N to train N more");
            return 0;
        }
        boolean chars = run.vocabulary().isPresent();
        long every = sampleEvery != null && sampleEvery > 0 ? sampleEvery : Math.max(1, total / 5);
        boolean samples = sampleEvery == null || sampleEvery > 0;
        lastSaved = savedAt;

        Files.createDirectories(dir);
        JsonFiles.write(dir.resolve(CONFIG), run.configJson());
        out.println(headline(done));
        out.println("backend: " + run.backend().describe());
        out.println("folder:  " + dir);
        out.flush();

        NonFiniteException failure = null;
        try (MetricsLog log = MetricsLog.start(dir.resolve(MetricsLog.FILE), keptRows)) {
            try (Progress progress = terminal != null ? Progress.bar(terminal, out, done, total, trainer.state().elapsedSeconds())
                    : Progress.lines(out, done, total)) {
                if (chars && samples) progress.println(sampleLine(done, total, Double.NaN));
                trainer.listener(m -> onStep(m, log, progress, total, every, chars && samples));
                try {
                    trainer.run();
                } catch (NonFiniteException e) {
                    failure = e;
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
            LossPlot.write(dir.resolve(LossPlot.FILE), title(), log.points());
            if (failure != null) {
                err.println("rnn train: " + failure.getMessage() + "; " + (lastSaved >= 0 ? "the last good checkpoint (step " + lastSaved + ") is in "
                        + checkpoint : "no checkpoint was written") + "; try a smaller --lr or --clip");
                return 1;
            }
            List<double[]> p = log.points();
            out.printf(Locale.ROOT, "done: step %d, loss %s (first step %s), %.1f s of training%n", total, Progress.loss(p.get(p.size() - 1)[1]),
                    Progress.loss(p.get(0)[1]), trainer.state().elapsedSeconds());
        }
        out.println("wrote " + dir + ": " + MetricsLog.FILE + ", " + LossPlot.FILE + ", " + Choices.CHECKPOINT + "/, " + CONFIG);
        if (chars) out.println("sample it: rnn sample --from " + dir);
        out.flush();
        return 0;
    }

    private void onStep(StepMetrics m, MetricsLog log, Progress progress, long total, long every, boolean samples) {
        try {
            log.append(m);
            progress.update(m);
            boolean due = m.step() % every == 0 || m.step() == total;
            if (due) {
                run.save(checkpoint);
                lastSaved = m.step();
                if (samples) progress.println(sampleLine(m.step(), total, m.loss()));
                else if (terminal != null) progress.println(String.format(Locale.ROOT, "step %" + Long.toString(total).length() + "d/%d  loss %s",
                        m.step(), total, Progress.loss(m.loss())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sample on one line, aligned under the previous ones so the progress shows: greedy "hello" for the hello task, else 100 characters at T = 0.7. */
    private String sampleLine(long step, long total, double loss) {
        TrainConfig c = run.config();
        String prime = TrainCommand.defaultPrime(run.vocabulary().orElseThrow(), c.task);
        boolean hello = c.task.equals("hello");
        String s = run.sample(prime, hello ? 4 : 100, hello ? 0 : 0.7, 0, c.seed);
        if (prime.equals("\n")) s = s.substring(1);
        String w = Long.toString(total);
        return String.format(Locale.ROOT, "step %" + w.length() + "d/%s  %s  sample: %s", step, w,
                Double.isNaN(loss) ? " ".repeat(11) : "loss " + Progress.loss(loss), s.replaceAll("\\s+", " "));
    }

    private String headline(long done) {
        TrainConfig c = run.config();
        String model = c.cell + " (hidden " + c.hidden + ", " + c.layers + (c.layers == 1 ? " layer" : " layers") + (c.bidirectional ? ", bidirectional" : "") + ")";
        String task = c.task.equals("text") ? "text " + (c.text == null ? "(shipped)" : c.text) : c.task;
        String steps = done > 0 ? "steps " + (done + 1) + ".." + c.steps + " (resumed at " + done + ")" : c.steps + " steps";
        return "rnn train: " + model + " on " + task + ", " + steps + ", batch " + c.batch + (c.task.equals("hello") ? "" : " x " + c.seqLen)
                + ", " + c.optimizer + " lr " + c.lr + (c.tbptt.equals("full") ? "" : ", tbptt " + c.tbptt) + ", seed " + c.seed;
    }

    private String title() {
        TrainConfig c = run.config();
        return c.cell + " (hidden " + c.hidden + (c.layers > 1 ? " x " + c.layers : "") + ") on " + c.task + ": " + c.optimizer + " lr " + c.lr
                + ", batch " + c.batch + (c.task.equals("hello") ? "" : " x " + c.seqLen);
    }
}
