package dev.recurrent.models.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.models.train.Checkpoints;
import dev.recurrent.models.train.JsonFiles;
import dev.recurrent.models.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code rnn sample --from DIR [--prime TEXT] [--length N] [--temperature T] [--top-k K] [--seed S]}. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generates text from a character model trained by 'rnn train' (the text task or hello).",
        footerHeading = "%nDetails:%n",
        footer = {
            "Each next character is drawn with probability proportional to exp(logit / T) among the K most likely",
            "(all when K is 0); T = 0 picks the most likely one (greedy). The same seed gives the same text.",
            "Prints the prime followed by the generated characters (a default line-break prime is left out)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:sampled", "1:internal error", "2:bad input (option, checkpoint, a prime character the model does not know)"})
final class SampleCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "A run folder written by 'rnn train', or a checkpoint directory.")
    Path from;
    @Option(names = "--prime", paramLabel = "TEXT", description = "Text the model reads before generating (default: a line break; 'h' for hello).")
    String prime;
    @Option(names = "--length", paramLabel = "N", description = "Characters to generate (default: ${DEFAULT-VALUE}).")
    int length = 300;
    @Option(names = "--temperature", paramLabel = "T", description = "0 for greedy, 1 for the model's own distribution (default: ${DEFAULT-VALUE}).")
    double temperature = 0.8;
    @Option(names = "--top-k", paramLabel = "K", description = "Draw among the K most likely characters; 0: all (default: ${DEFAULT-VALUE}).")
    int topK = 0;
    @Option(names = "--seed", paramLabel = "S", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
    long seed = 1;
    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (default: -Drnn.backend, RNN_BACKEND, else the best available).")
    String backend;

    @Override public Integer call() throws IOException {
        Choices.positive("--length", length);
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature: expected a number >= 0 (0: greedy); got " + temperature);
        }
        if (topK < 0) throw new IllegalArgumentException("--top-k: expected a number >= 0 (0: all); got " + topK);
        if (prime != null && prime.isEmpty()) throw new IllegalArgumentException("--prime: expected at least one character; got an empty text");
        Backend be = Choices.backend(backend);
        Path ckpt = Choices.checkpoint(from);
        TrainingRun.Sampler sampler = TrainingRun.loadForSampling(ckpt, be);
        String p = prime;
        if (p == null) p = TrainCommand.defaultPrime(sampler.vocabulary(), task(ckpt));
        for (int i = 0; i < p.length(); ) {
            int cp = p.codePointAt(i);
            if (!sampler.vocabulary().contains(cp)) {
                String known = sampler.vocabulary().chars();
                throw new IllegalArgumentException("--prime: expected characters of the model's training text"
                        + (known.length() <= 100 ? " " + new GsonBuilder().disableHtmlEscaping().create().toJson(known) : "")
                        + "; '" + new String(Character.toChars(cp)) + "' (at " + i + ") is not one of them");
            }
            i += Character.charCount(cp);
        }
        String text = sampler.sample(p, length, temperature, topK, seed);
        spec.commandLine().getOut().println(prime == null && p.equals("\n") ? text.substring(1) : text);
        return 0;
    }

    /** The task the checkpoint was trained on (its config.json, already verified by loading), or null. */
    private static String task(Path ckpt) {
        try {
            JsonElement t = JsonFiles.readObject(ckpt.resolve(Checkpoints.CONFIG)).get("train");
            JsonElement task = t != null && t.isJsonObject() ? ((JsonObject) t).get("task") : null;
            return task != null && task.isJsonPrimitive() ? task.getAsString() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
