package dev.recurrent.core.io;

import dev.recurrent.core.DType;
import dev.recurrent.core.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import static dev.recurrent.core.io.Safetensors.METADATA_KEY;
import static dev.recurrent.core.io.Safetensors.chunkBuffer;

/**
 * The writing side of {@link Safetensors}: validates every name and value and builds the padded header
 * before touching the disk, then writes header and data to a temporary file that replaces the target
 * atomically.
 */
final class SafetensorsWriter {
    private SafetensorsWriter() { }

    static void write(Path path, Map<String, String> metadata, Map<String, Tensor> tensors) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(tensors, "tensors");
        if (metadata == null) metadata = Map.of();
        String file = path.toString();
        List<Tensor> order = new ArrayList<>(tensors.size());
        byte[] header = header(metadata, tensors, order, file);

        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) throw new IOException(file + ": cannot write a file at the root of the file system");
        if (Files.isDirectory(target)) throw new IOException(file + ": is a directory");

        Path tmp = null;
        try {
            Temp created = createTemp(dir, target.getFileName().toString());
            tmp = created.path;
            try (FileChannel ch = created.channel) {
                ByteBuffer head = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                head.putLong(header.length).put(header).flip();
                writeFully(ch, head);
                long total = 0;
                for (Tensor t : order) total += (long) t.size() * t.dtype().bytes();
                ByteBuffer chunk = order.isEmpty() ? null : chunkBuffer(total);
                for (Tensor t : order) writeData(ch, chunk, t);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable failure) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
            }
            throw failure;
        }
    }

    /** The padded header bytes; fills {@code order} with the tensors in data order. Validates everything first. */
    private static byte[] header(Map<String, String> metadata, Map<String, Tensor> tensors, List<Tensor> order, String file) {
        StringBuilder h = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            h.append(Json.quote(METADATA_KEY)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                String k = e.getKey(), v = e.getValue();
                if (k == null) throw new SafetensorsException(file + ": a metadata key is null");
                if (v == null) throw new SafetensorsException(file + ": metadata value for key " + Json.quote(k) + " is null");
                checkUnicode(k, "metadata key " + Json.quote(k), file);
                checkUnicode(v, "metadata value for key " + Json.quote(k), file);
                if (!first) h.append(',');
                first = false;
                h.append(Json.quote(k)).append(':').append(Json.quote(v));
            }
            h.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null) throw new SafetensorsException(file + ": a tensor name is null");
            if (name.equals(METADATA_KEY)) {
                throw new SafetensorsException(file + ": " + Json.quote(METADATA_KEY) + " is reserved and cannot name a tensor");
            }
            checkUnicode(name, "tensor name " + Json.quote(name), file);
            if (t == null) throw new SafetensorsException(file + ": tensor " + Json.quote(name) + " is null");
            String dtype = switch (t.dtype()) {
                case F32 -> "F32";
                case F64 -> "F64";
                default -> throw new SafetensorsException("cannot write dtype " + t.dtype() + " of tensor " + Json.quote(name)
                        + " to " + file + " (supported: F32, F64)");
            };
            long bytes = (long) t.size() * t.dtype().bytes();
            if (h.length() > 1) h.append(',');
            h.append(Json.quote(name)).append(":{\"dtype\":\"").append(dtype).append("\",\"shape\":[");
            int[] dims = t.shape().dims();
            for (int i = 0; i < dims.length; i++) h.append(i == 0 ? "" : ",").append(dims[i]);
            h.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
            order.add(t);
        }
        h.append('}');
        byte[] raw = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(raw, padded);
        Arrays.fill(out, raw.length, padded, (byte) ' ');
        return out;
    }

    private static void checkUnicode(String s, String what, String file) {
        if (Json.unpairedSurrogate(s) >= 0) {
            throw new SafetensorsException(file + ": " + what + " contains an unpaired surrogate (not valid Unicode)");
        }
    }

    private static void writeData(FileChannel ch, ByteBuffer chunk, Tensor t) throws IOException {
        int width = t.dtype().bytes();
        int perChunk = chunk.capacity() / width;
        int n = t.size();
        if (t.dtype() == DType.F64) {
            double[] values = t.toDoubleArray();
            checkLength(values.length, t);
            for (int done = 0; done < n; ) {
                int k = Math.min(perChunk, n - done);
                chunk.clear();
                chunk.asDoubleBuffer().put(values, done, k);
                chunk.limit(k * width);
                writeFully(ch, chunk);
                done += k;
            }
        } else {
            float[] values = t.toFloatArray();
            checkLength(values.length, t);
            for (int done = 0; done < n; ) {
                int k = Math.min(perChunk, n - done);
                chunk.clear();
                chunk.asFloatBuffer().put(values, done, k);
                chunk.limit(k * width);
                writeFully(ch, chunk);
                done += k;
            }
        }
    }

    private static void checkLength(int got, Tensor t) {
        if (got != t.size()) {
            throw new IllegalStateException("backend " + t.backend().name() + " returned " + got + " values for a tensor of shape "
                    + t.shape());
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    private record Temp(Path path, FileChannel channel) { }

    /**
     * A new empty file next to the target, open for writing. Created with CREATE_NEW rather than
     * {@link Files#createTempFile} so that it gets the default permissions (createTempFile makes it
     * owner-only, which the moved file would keep).
     */
    private static Temp createTemp(Path dir, String name) throws IOException {
        String prefix = name;
        if (prefix.length() > 100) {
            prefix = prefix.substring(0, 100);
            if (Character.isHighSurrogate(prefix.charAt(99))) prefix = prefix.substring(0, 99);
        }
        String base = "." + prefix + ".";
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve(base + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return new Temp(tmp, FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException taken) {
                if (attempt >= 20) throw taken;
            }
        }
    }
}
