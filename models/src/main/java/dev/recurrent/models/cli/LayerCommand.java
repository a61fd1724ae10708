package dev.recurrent.models.cli;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.io.Safetensors;
import dev.recurrent.core.io.SafetensorsFile;
import dev.recurrent.models.conformance.LayerCase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code rnn layer CASE.safetensors -o OUT.safetensors [--backend NAME]}: runs a conformance case. */
@Command(name = "layer", mixinStandardHelpOptions = true,
        description = "Runs a conformance case: builds the layer CASE describes, runs it, backpropagates, writes outputs and gradients.",
        footerHeading = "%nDetails:%n",
        footer = {
            "CASE's __metadata__ names the cell (rnn_tanh, rnn_relu, lstm, gru, jordan), input_size, hidden_size,",
            "num_layers, bidirectional, bias and dtype; its tensors are the input, optional initial states, the weights",
            "under PyTorch state_dict names and the upstream gradients. The loss backpropagated is",
            "  sum(output*grad_output) + sum(h_n*grad_h_n) + sum(c_n*grad_c_n)",
            "and OUT gets output, h_n, c_n and grad.NAME for every tensor of CASE except grad_*.",
            "Format and tolerances: shared/conformance/README.md."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:written", "1:internal error", "2:bad input (file, metadata, option or backend)"})
final class LayerCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CASE.safetensors", description = "The case: metadata, input, weights, upstream gradients.")
    Path caseFile;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.safetensors", description = "Where to write the results (atomically).")
    Path output;

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend to run on (default: -Drnn.backend, RNN_BACKEND, else the best available).")
    String backend;

    @Override public Integer call() throws Exception {
        if (!Files.exists(caseFile)) throw new NoSuchFileException(caseFile.toString());
        if (!Files.isRegularFile(caseFile)) throw new IllegalArgumentException(caseFile + " is not a regular file");
        Backend be = Choices.backend(backend);
        SafetensorsFile file = Safetensors.read(caseFile, be);
        Map<String, Tensor> result = LayerCase.run(file.metadata(), file.tensors());
        Safetensors.write(output, file.metadata(), result);
        spec.commandLine().getOut().println("wrote " + output + ": " + result.size() + " tensors (" + file.metadata().getOrDefault("cell", "?")
                + ", " + file.metadata().getOrDefault("dtype", "?") + ") on " + be.describe());
        return 0;
    }
}
