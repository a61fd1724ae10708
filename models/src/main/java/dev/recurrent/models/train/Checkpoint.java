package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.Tensor;

import java.util.Map;

/**
 * A resumable snapshot of a training run; {@link Checkpoints} writes and reads it as a directory:
 * <pre>
 *   model.safetensors      the weights, PyTorch state_dict names (loadable with safetensors.torch.load_file)
 *   optimizer.safetensors  the optimizer's state tensors, {@code <parameter>.<state>} (exp_avg, ...)
 *   config.json            the run's settings, as the caller gave them
 *   checkpoint.json        format marker and version, trainer state (step, data index, RNG state),
 *                          optimizer type/hyperparameters/counts, and the size and SHA-256 of every file
 * </pre>
 *
 * @param config         the run's settings (model, task, options): whatever rebuilds the same model
 * @param weights        parameter values by name
 * @param optimizer      {@link Optimizer#toJson()}
 * @param optimizerState {@link Optimizer#stateTensors()}
 * @param trainer        step, data index, RNG state, elapsed time
 */
public record Checkpoint(JsonObject config, Map<String, Tensor> weights, JsonObject optimizer, Map<String, Tensor> optimizerState,
                         TrainerState trainer) { }
