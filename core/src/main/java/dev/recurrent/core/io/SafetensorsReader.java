package dev.recurrent.core.io;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.recurrent.core.io.Safetensors.MAX_HEADER_BYTES;
import static dev.recurrent.core.io.Safetensors.METADATA_KEY;
import static dev.recurrent.core.io.Safetensors.chunkBuffer;

/**
 * The reading side of {@link Safetensors}: checks the header against the file (the strict rules listed
 * there), then loads each tensor's data onto a backend.
 */
final class SafetensorsReader {
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    /** Every dtype name of the safetensors format; the ones other than F32/F64 are recognised but unsupported. */
    private static final Set<String> KNOWN_DTYPES = Set.of("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "F8_E8M0",
            "F4", "F6_E2M3", "F6_E3M2", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64", "C64");

    private SafetensorsReader() { }

    /** One tensor of a header, checked against the file. */
    private record Entry(String name, DType dtype, int[] dims, int count, long begin, long end) {
        String offsets() { return "[" + begin + ", " + end + "]"; }
    }

    static SafetensorsFile read(Path path, Backend backend) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(backend, "backend");
        String file = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(file + ": the file is " + size
                        + " bytes long, shorter than the 8-byte header length that starts a safetensors file");
            }
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, prefix, 0, file);
            long n = prefix.getLong(0); // unsigned u64: a value of 2^63 or more reads as negative
            if (n < 0 || n > size - 8) {
                throw new SafetensorsException(file + ": the header length " + Long.toUnsignedString(n)
                        + " runs past the end of the file (" + size + " bytes, so at most " + (size - 8)
                        + " bytes of header); the file is truncated or not a safetensors file");
            }
            if (n > MAX_HEADER_BYTES) {
                throw new SafetensorsException(file + ": the header length " + n + " is above the limit of "
                        + MAX_HEADER_BYTES + " bytes");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
            readFully(ch, headerBytes, 8, file);
            headerBytes.flip();
            Map<?, ?> header = parseHeader(headerBytes, file);

            long dataStart = 8 + n;
            long dataLength = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : header.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals(METADATA_KEY)) metadata = metadata(e.getValue(), file);
                else entries.add(entry(name, e.getValue(), dataLength, file));
            }
            checkLayout(entries, dataLength, file);

            Map<String, Tensor> tensors = new LinkedHashMap<>();
            ByteBuffer chunk = entries.isEmpty() ? null : chunkBuffer(dataLength);
            for (Entry e : entries) tensors.put(e.name, load(ch, chunk, dataStart, e, backend, file));
            return new SafetensorsFile(path, metadata, tensors);
        }
    }

    private static Map<?, ?> parseHeader(ByteBuffer bytes, String file) {
        String text;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            text = chars.toString();
        } catch (CharacterCodingException ex) {
            throw new SafetensorsException(file + ": the header is not valid UTF-8", ex);
        }
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.ParseException ex) {
            throw new SafetensorsException(file + ": the header is not valid JSON (" + ex.getMessage() + ")", ex);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new SafetensorsException(file + ": the header must be a JSON object; found " + Json.typeName(root));
        }
        return map;
    }

    private static Map<String, String> metadata(Object value, String file) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new SafetensorsException(file + ": " + METADATA_KEY + " must be an object of strings; found "
                    + Json.typeName(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafetensorsException(file + ": " + METADATA_KEY + " value for key " + Json.quote((String) e.getKey())
                        + " must be a string; found " + Json.typeName(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(String name, Object value, long dataLength, String file) {
        String where = "tensor " + Json.quote(name) + " in " + file;
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafetensorsException(where + ": expected an object with dtype, shape and data_offsets; found "
                    + Json.typeName(value));
        }
        for (Object k : m.keySet()) {
            if (!ENTRY_FIELDS.contains(k)) {
                throw new SafetensorsException(where + ": unknown field " + Json.quote((String) k)
                        + " (a tensor entry has exactly dtype, shape and data_offsets)");
            }
        }

        Object dt = field(m, "dtype", where);
        if (!(dt instanceof String dtName)) {
            throw new SafetensorsException(where + ": dtype must be a string; found " + Json.typeName(dt));
        }
        DType dtype = switch (dtName) {
            case "F32" -> DType.F32;
            case "F64" -> DType.F64;
            default -> throw new SafetensorsException((KNOWN_DTYPES.contains(dtName)
                    ? "unsupported dtype " + dtName : "unknown dtype " + Json.quote(dtName))
                    + " for tensor " + Json.quote(name) + " in " + file + " (supported: F32, F64)");
        };

        List<?> shape = array(m, "shape", where);
        int[] dims = new int[shape.size()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = nonNegative(shape.get(i), where, "shape[" + i + "]");
            if (d > Integer.MAX_VALUE) {
                throw new SafetensorsException(where + ": dimension " + i + " of shape " + shape + " is " + d
                        + ", above the limit of " + Integer.MAX_VALUE);
            }
            dims[i] = (int) d;
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException ex) {
                throw new SafetensorsException(where + ": shape " + shape + " has more elements than fit in 64 bits");
            }
        }

        List<?> offsets = array(m, "data_offsets", where);
        if (offsets.size() != 2) {
            throw new SafetensorsException(where + ": data_offsets must be [begin, end]; found " + offsets.size() + " numbers");
        }
        long begin = nonNegative(offsets.get(0), where, "data_offsets[0]");
        long end = nonNegative(offsets.get(1), where, "data_offsets[1]");
        String range = "data_offsets [" + begin + ", " + end + "]";
        if (end < begin) throw new SafetensorsException(where + ": " + range + " ends before it begins");
        if (end > dataLength) {
            throw new SafetensorsException(where + ": " + range + " run past the end of the data section, which has "
                    + dataLength + " bytes");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(count, dtype.bytes());
        } catch (ArithmeticException ex) {
            bytes = -1;
        }
        if (bytes != end - begin) {
            throw new SafetensorsException(where + ": " + range + " span " + (end - begin) + " bytes but shape "
                    + Arrays.toString(dims) + " of " + dtype + " needs " + count + " x " + dtype.bytes() + " = "
                    + (bytes < 0 ? "more than 2^63" : String.valueOf(bytes)) + " bytes");
        }
        if (count > Integer.MAX_VALUE) {
            throw new SafetensorsException(where + ": shape " + Arrays.toString(dims) + " has " + count
                    + " elements; a tensor holds at most " + Integer.MAX_VALUE);
        }
        return new Entry(name, dtype, dims, (int) count, begin, end);
    }

    private static Object field(Map<?, ?> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) throw new SafetensorsException(where + ": missing field " + Json.quote(key));
        return v;
    }

    private static List<?> array(Map<?, ?> m, String key, String where) {
        Object v = field(m, key, where);
        if (!(v instanceof List<?> list)) {
            throw new SafetensorsException(where + ": " + key + " must be an array of integers; found " + Json.typeName(v));
        }
        return list;
    }

    private static long nonNegative(Object v, String where, String what) {
        if (v instanceof Long l) {
            if (l < 0) throw new SafetensorsException(where + ": " + what + " is " + l + "; it must not be negative");
            return l;
        }
        if (v instanceof BigInteger b) {
            throw new SafetensorsException(where + ": " + what + " is " + b + ", "
                    + (b.signum() < 0 ? "negative" : "too large"));
        }
        if (v instanceof BigDecimal d) {
            throw new SafetensorsException(where + ": " + what + " must be a plain integer (no fraction or exponent); found " + d);
        }
        throw new SafetensorsException(where + ": " + what + " must be an integer; found " + Json.typeName(v));
    }

    /** The tensors, by offset, must tile the data section exactly (as the reference implementation requires). */
    private static void checkLayout(List<Entry> entries, long dataLength, String file) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < covered) {
                throw new SafetensorsException(file + ": tensor " + Json.quote(e.name) + " (data_offsets " + e.offsets()
                        + ") overlaps tensor " + Json.quote(previous.name) + " (data_offsets " + previous.offsets() + ")");
            }
            if (e.begin > covered) {
                throw new SafetensorsException(file + ": bytes [" + covered + ", " + e.begin
                        + ") of the data section belong to no tensor (a hole before tensor " + Json.quote(e.name)
                        + "); safetensors requires the tensors to cover the data section without gaps");
            }
            covered = e.end;
            previous = e;
        }
        if (covered != dataLength) {
            throw new SafetensorsException(file + ": the data section has " + dataLength + " bytes but the tensors cover only "
                    + covered + "; the last " + (dataLength - covered) + " bytes belong to no tensor");
        }
    }

    private static Tensor load(FileChannel ch, ByteBuffer chunk, long dataStart, Entry e, Backend backend, String file)
            throws IOException {
        int width = e.dtype.bytes();
        int perChunk = chunk.capacity() / width;
        long position = dataStart + e.begin;
        Shape shape = Shape.of(e.dims);
        if (e.dtype == DType.F64) {
            double[] values = new double[e.count];
            for (int done = 0; done < e.count; ) {
                int k = Math.min(perChunk, e.count - done);
                chunk.clear().limit(k * width);
                readFully(ch, chunk, position, file);
                chunk.flip();
                chunk.asDoubleBuffer().get(values, done, k);
                done += k;
                position += (long) k * width;
            }
            return Tensor.of(backend, DType.F64, shape, values);
        } else {
            float[] values = new float[e.count];
            for (int done = 0; done < e.count; ) {
                int k = Math.min(perChunk, e.count - done);
                chunk.clear().limit(k * width);
                readFully(ch, chunk, position, file);
                chunk.flip();
                chunk.asFloatBuffer().get(values, done, k);
                done += k;
                position += (long) k * width;
            }
            return Tensor.of(backend, DType.F32, shape, values);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position, String file) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position);
            if (r < 0) throw new EOFException(file + ": the file ended early at byte " + position + " (was it changed while being read?)");
            position += r;
        }
    }
}
