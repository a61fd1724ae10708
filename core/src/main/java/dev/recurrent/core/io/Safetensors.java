package dev.recurrent.core.io;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files holding F32
 * and F64 tensors.
 *
 * <p>Layout: 8 bytes little-endian u64 {@code N}; {@code N} bytes of UTF-8 JSON, an object with an optional
 * {@code "__metadata__": {string: string}} and, per tensor,
 * {@code "NAME": {"dtype": "F32"|"F64", "shape": [d0, ...], "data_offsets": [begin, end]}}; then the raw
 * little-endian, row-major data, offsets relative to the end of the header.
 *
 * <p>Reading is strict, as in the reference implementation: every number of the header is checked against
 * the real file before anything of that size is allocated; the tensors, ordered by offset, must tile the
 * data section exactly (no overlap, no hole, no trailing bytes); each range must hold exactly
 * {@code product(shape) * dtype size} bytes. A header entry may have only the fields {@code dtype},
 * {@code shape} and {@code data_offsets}; the JSON must be strict JSON without duplicate keys. Any
 * violation is a {@link SafetensorsException} naming the file and the tensor; I/O failures are
 * {@link IOException}s.
 *
 * <p>Writing keeps the order of the given maps (metadata first, then tensors; data contiguous in the same
 * order), pads the header with spaces to a multiple of 8 bytes so that the data is 8-byte aligned, and is
 * atomic: the file is written to a temporary file in the same directory, flushed to disk, then moved over
 * the target, so a failure never leaves a partial file nor damages an existing one.
 */
public final class Safetensors {
    /** The largest header accepted (as in the reference implementation): 100 MB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Size of the buffer that data goes through on its way to and from the file. */
    static final int CHUNK_BYTES = 1 << 20;

    static final String METADATA_KEY = "__metadata__";

    private Safetensors() { }

    /** Reads every tensor of {@code path} onto the current backend ({@link Backends#current()}). */
    public static SafetensorsFile read(Path path) throws IOException {
        return read(path, Backends.current());
    }

    /**
     * Reads the metadata and every tensor of {@code path}, creating the tensors on {@code backend}.
     *
     * @throws SafetensorsException when the file is not a valid safetensors file or holds a dtype other
     *                              than F32 and F64
     * @throws IOException          when the file cannot be read
     */
    public static SafetensorsFile read(Path path, Backend backend) throws IOException {
        return SafetensorsReader.read(path, backend);
    }

    /** Writes {@code tensors} without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path path, Map<String, Tensor> tensors) throws IOException {
        write(path, Map.of(), tensors);
    }

    /**
     * Writes {@code metadata} (may be null or empty: then no {@code __metadata__} entry) and {@code tensors}
     * (F32 or F64, any backend) to {@code path}, in the maps' iteration order, replacing any existing file
     * atomically.
     *
     * @throws SafetensorsException when a name is {@code __metadata__} or not valid Unicode, or a value is null
     * @throws IOException          when the file cannot be written (the target is then untouched)
     */
    public static void write(Path path, Map<String, String> metadata, Map<String, Tensor> tensors) throws IOException {
        SafetensorsWriter.write(path, metadata, tensors);
    }

    /**
     * A direct buffer for moving data between arrays and the file, shared by reading and writing: big
     * enough for {@code dataLength} bytes up to {@link #CHUNK_BYTES}, and a multiple of 8 so that it holds
     * whole F32 and F64 values.
     */
    static ByteBuffer chunkBuffer(long dataLength) {
        long want = Math.max(8, Math.min(CHUNK_BYTES, (dataLength + 7) / 8 * 8));
        return ByteBuffer.allocateDirect((int) want).order(ByteOrder.LITTLE_ENDIAN);
    }
}
