package dev.recurrent.models.io;

import dev.recurrent.core.GradMode;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.io.Safetensors;
import dev.recurrent.core.io.SafetensorsFile;
import dev.recurrent.models.Module;
import dev.recurrent.models.Parameter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a module's weights as safetensors under PyTorch's state_dict names, so weights trained
 * in PyTorch load here and back:
 * <pre>
 *  # PyTorch side
 *  from safetensors.torch import save_file, load_file
 *  save_file(lstm.state_dict(), "lstm.safetensors");   lstm.load_state_dict(load_file("lstm.safetensors"))
 * </pre>
 * Loading is strict, like {@code load_state_dict(strict=True)}: every parameter must be present with its
 * exact shape, and the file may hold nothing else; otherwise nothing is changed and the error lists every
 * missing name, unexpected name and shape mismatch. Values are converted to each parameter's dtype and
 * backend and copied in place, so optimizers holding the parameters keep working. Writing is atomic.
 */
public final class StateDict {
    private StateDict() { }

    /** Writes every parameter of {@code module}. */
    public static void save(Module module, Path path) throws IOException { save(module, path, Map.of()); }

    /** Writes every parameter of {@code module} with a {@code __metadata__} string map. */
    public static void save(Module module, Path path, Map<String, String> metadata) throws IOException {
        Safetensors.write(path, metadata, module.stateDict());
    }

    /** Reads {@code path} onto the parameters' backend and loads it; see {@link #load(Module, Map)}. */
    public static SafetensorsFile load(Module module, Path path) throws IOException {
        Map<String, Parameter> params = module.parameters();
        SafetensorsFile file = params.isEmpty() ? Safetensors.read(path)
                : Safetensors.read(path, params.values().iterator().next().value().backend());
        try {
            load(module, file.tensors());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Copies {@code tensors} into the module's parameters, all or nothing. */
    public static void load(Module module, Map<String, Tensor> tensors) {
        Map<String, Parameter> params = module.parameters();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), mismatched = new ArrayList<>();
        params.forEach((name, p) -> {
            Tensor t = tensors.get(name);
            if (t == null) missing.add(name);
            else if (!t.shape().equals(p.shape())) mismatched.add(name + " is " + t.shape() + " in the file, " + p.shape() + " in the model");
        });
        for (String name : tensors.keySet()) if (!params.containsKey(name)) unexpected.add(name);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) parts.add("missing " + String.join(", ", missing));
            if (!unexpected.isEmpty()) parts.add("unexpected " + String.join(", ", unexpected));
            if (!mismatched.isEmpty()) parts.add("shape mismatch: " + String.join("; ", mismatched));
            throw new IllegalArgumentException("the weights do not fit the model (" + String.join("; ", parts)
                    + "); the model has " + String.join(", ", params.keySet()));
        }
        try (GradMode.Scope off = GradMode.off()) {
            params.forEach((name, p) -> {
                Tensor target = p.value();
                p.value().assign(tensors.get(name).to(target.backend()).to(target.dtype()));
            });
        }
    }
}
