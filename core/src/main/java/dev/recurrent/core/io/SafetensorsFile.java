package dev.recurrent.core.io;

import dev.recurrent.core.Tensor;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of a safetensors file: its {@code __metadata__} (empty when absent) and its tensors, both
 * unmodifiable and in header order.
 *
 * @param path     where it was read from (used in error messages)
 * @param metadata the {@code __metadata__} string map, in header order
 * @param tensors  the tensors by name, in header order
 */
public record SafetensorsFile(Path path, Map<String, String> metadata, Map<String, Tensor> tensors) {

    public SafetensorsFile {
        Objects.requireNonNull(path, "path");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tensors, "tensors")));
    }

    /** The tensor called {@code name}; a missing name fails listing the names the file has. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new SafetensorsException("no tensor " + Json.quote(String.valueOf(name)) + " in " + path
                    + "; it has " + (tensors.isEmpty() ? "no tensors" : String.join(", ", tensors.keySet())));
        }
        return t;
    }

    /** True when the file has a tensor called {@code name}. */
    public boolean contains(String name) { return tensors.containsKey(name); }

    /** The metadata value for {@code key}; a missing key fails listing the keys the file has. */
    public String metadata(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new SafetensorsException("no metadata key " + Json.quote(String.valueOf(key)) + " in " + path
                    + "; it has " + (metadata.isEmpty() ? "no __metadata__" : String.join(", ", metadata.keySet())));
        }
        return v;
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + metadata.size() + " metadata entries, tensors " + tensors.keySet() + "]";
    }
}
