package dev.recurrent.models.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Everything a {@link Trainer} needs, besides the weights and the optimizer, to continue a run exactly
 * where it stopped.
 *
 * @param step           completed training steps
 * @param dataIndex      the index of the next batch to draw from the dataset (the sampler's whole state)
 * @param rngState       the state of the trainer's random generator (dropout masks and any other draw)
 * @param elapsedSeconds training time so far (the sum of step times; not part of the results)
 */
public record TrainerState(long step, long dataIndex, long rngState, double elapsedSeconds) {

    public TrainerState {
        if (step < 0 || dataIndex < 0) throw new IllegalArgumentException("trainer state: step and data index must be >= 0; got step=" + step + ", dataIndex=" + dataIndex);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("step", step);
        o.addProperty("data_index", dataIndex);
        // as a string: a JSON number is not guaranteed to keep 64 bits through other tools
        o.addProperty("rng_state", Long.toString(rngState));
        o.addProperty("elapsed_seconds", elapsedSeconds);
        return o;
    }

    public static TrainerState fromJson(JsonObject o) {
        try {
            return new TrainerState(get(o, "step").getAsLong(), get(o, "data_index").getAsLong(),
                    Long.parseLong(get(o, "rng_state").getAsString()), get(o, "elapsed_seconds").getAsDouble());
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
            throw new IllegalArgumentException("trainer state: a value is not a number (" + e.getMessage() + ")");
        }
    }

    private static JsonElement get(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonPrimitive()) throw new IllegalArgumentException("trainer state: missing \"" + key + "\"");
        return e;
    }
}
