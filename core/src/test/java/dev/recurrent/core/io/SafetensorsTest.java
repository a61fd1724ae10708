package dev.recurrent.core.io;

import dev.recurrent.core.DType;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.recurrent.core.io.ArrayBackend.f32;
import static dev.recurrent.core.io.ArrayBackend.f64;
import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    private static final Backend BE = ArrayBackend.INSTANCE;

    @TempDir
    Path dir;

    // ---- round trips ------------------------------------------------------------------------------

    @Test
    void roundTripF64WithMetadataScalarsAndEmptyTensors() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("zeta", "last-sorted but first inserted");
        meta.put("cell", "lstm");
        meta.put("quote\"back\\slash\nnewline\u0001", "ünïcödé ✓ \uD83D\uDE00");
        meta.put("empty", "");

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.scalar", f64(Shape.scalar(), Math.PI));
        tensors.put("special", f64(Shape.of(8), Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.longBitsToDouble(0x7ff0000000000123L), 1e-310));
        tensors.put("a.matrix", f64(Shape.of(2, 3), 1, 2, 3, 4, 5, 6));
        tensors.put("empty", f64(Shape.of(0)));
        tensors.put("empty2d", f64(Shape.of(2, 0)));
        tensors.put("cube", f64(Shape.of(2, 2, 2), -1, -2, -3, -4, -5, -6, -7, -8));
        tensors.put("名前 with spaces", f64(Shape.of(1), 42));

        Path p = dir.resolve("f64.safetensors");
        Safetensors.write(p, meta, tensors);
        SafetensorsFile f = Safetensors.read(p, BE);

        assertEquals(List.copyOf(meta.entrySet()), List.copyOf(f.metadata().entrySet()), "metadata, in order");
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(f.tensors().keySet()), "tensor order");
        for (String name : tensors.keySet()) assertSameTensor(tensors.get(name), f.get(name), name);
        assertEquals(Shape.scalar(), f.get("z.scalar").shape());
        assertEquals(Math.PI, f.get("z.scalar").item());
        assertEquals(0, (Files.size(p) - 8 - headerLength(p)) % 8, "data section size");
        assertEquals(0, headerLength(p) % 8, "header padded to a multiple of 8");
    }

    @Test
    void roundTripF32AndMixedDtypes() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("odd", f32(Shape.of(3), 1.5f, -2.25f, 3e-40f)); // 12 bytes: the next tensor starts unaligned
        tensors.put("special", f32(Shape.of(6), Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.NEGATIVE_INFINITY,
                -0.0f, Float.MIN_VALUE, Float.MAX_VALUE));
        tensors.put("scalar", f32(Shape.scalar(), 7f));
        tensors.put("double", f64(Shape.of(2, 1), 0.1, 0.2));
        Path p = dir.resolve("f32.safetensors");
        Safetensors.write(p, null, tensors);

        SafetensorsFile f = Safetensors.read(p, BE);
        assertTrue(f.metadata().isEmpty());
        assertEquals(List.of("odd", "special", "scalar", "double"), List.copyOf(f.tensors().keySet()));
        for (String name : tensors.keySet()) assertSameTensor(tensors.get(name), f.get(name), name);
        assertEquals(DType.F32, f.get("odd").dtype());
        assertEquals(DType.F64, f.get("double").dtype());
        assertFalse(headerText(p).contains("__metadata__"), "no __metadata__ entry when there is no metadata");
    }

    @Test
    void largeTensorsCrossTheCopyBufferBoundary() throws IOException {
        Random r = new Random(1);
        double[] d = new double[300_001];      // 2.4 MB, more than the 1 MiB buffer
        for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
        float[] f = new float[600_003];
        for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("f", f32(Shape.of(3, 200_001), f));
        tensors.put("d", f64(Shape.of(300_001), d));
        Path p = dir.resolve("big.safetensors");
        Safetensors.write(p, tensors);
        SafetensorsFile back = Safetensors.read(p, BE);
        assertArrayEquals(f, back.get("f").toFloatArray());
        assertArrayEquals(d, back.get("d").toDoubleArray());
    }

    @Test
    void emptyFileHasTheReferenceLayout() throws IOException {
        Path p = dir.resolve("empty.safetensors");
        Safetensors.write(p, Map.of(), Map.of());
        // the reference implementation's serialisation of nothing: {"{}" + 6 spaces} with length 8
        byte[] expected = {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '};
        assertArrayEquals(expected, Files.readAllBytes(p));
        SafetensorsFile f = Safetensors.read(p, BE);
        assertTrue(f.tensors().isEmpty());
        assertTrue(f.metadata().isEmpty());
    }

    @Test
    void writtenBytesAreExactlyTheFormat() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", f32(Shape.of(2), 1f, 2f));
        tensors.put("b", f64(Shape.scalar(), -1));
        Path p = dir.resolve("exact.safetensors");
        Safetensors.write(p, Map.of("k", "v"), tensors);

        String json = "{\"__metadata__\":{\"k\":\"v\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer want = ByteBuffer.allocate(8 + padded + 16).order(ByteOrder.LITTLE_ENDIAN);
        want.putLong(padded).put(json.getBytes(StandardCharsets.UTF_8));
        while (want.position() < 8 + padded) want.put((byte) ' ');
        want.putFloat(1f).putFloat(2f).putDouble(-1);
        assertArrayEquals(want.array(), Files.readAllBytes(p));
    }

    // ---- conformance files ------------------------------------------------------------------------

    @Test
    void readsTheLstmConformanceCase() throws IOException {
        Path p = resource("lstm_basic.safetensors");
        SafetensorsFile f = Safetensors.read(p, BE);

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("cell", "lstm");
        meta.put("input_size", "4");
        meta.put("hidden_size", "6");
        meta.put("num_layers", "1");
        meta.put("bidirectional", "false");
        meta.put("bias", "true");
        meta.put("dtype", "F64");
        assertEquals(List.copyOf(meta.entrySet()), List.copyOf(f.metadata().entrySet()));
        assertEquals("lstm", f.metadata("cell"));

        // from the header, inspected by hand (names are sorted there; data follows the same order)
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("bias_hh_l0", Shape.of(24));
        shapes.put("bias_ih_l0", Shape.of(24));
        shapes.put("c0", Shape.of(1, 3, 6));
        shapes.put("grad_c_n", Shape.of(1, 3, 6));
        shapes.put("grad_h_n", Shape.of(1, 3, 6));
        shapes.put("grad_output", Shape.of(5, 3, 6));
        shapes.put("h0", Shape.of(1, 3, 6));
        shapes.put("input", Shape.of(5, 3, 4));
        shapes.put("weight_hh_l0", Shape.of(24, 6));
        shapes.put("weight_ih_l0", Shape.of(24, 4));
        assertEquals(List.copyOf(shapes.keySet()), List.copyOf(f.tensors().keySet()));
        for (Map.Entry<String, Shape> e : shapes.entrySet()) {
            assertEquals(e.getValue(), f.get(e.getKey()).shape(), e.getKey());
            assertEquals(DType.F64, f.get(e.getKey()).dtype(), e.getKey());
        }
        // first and last values, read with python's struct module
        assertEquals(-0.39139458537101746, f.get("bias_hh_l0").toDoubleArray()[0]);
        assertEquals(-0.0742243155837059, last(f.get("bias_hh_l0")));
        assertEquals(-0.7860438449599233, f.get("input").toDoubleArray()[0]);
        assertEquals(-0.9845760082521353, last(f.get("input")));
        assertEquals(0.09364813566207886, f.get("weight_ih_l0").toDoubleArray()[0]);
        assertEquals(0.21855805814266205, last(f.get("weight_ih_l0")));
        assertEquals(0.511899539236871, last(f.get("h0")));
    }

    @Test
    void readsTheF32ConformanceCase() throws IOException {
        SafetensorsFile f = Safetensors.read(resource("gru_f32.safetensors"), BE);
        assertEquals("F32", f.metadata("dtype"));
        assertEquals(8, f.tensors().size());
        for (Tensor t : f.tensors().values()) assertEquals(DType.F32, t.dtype());
        assertEquals(Shape.of(8, 4, 5), f.get("input").shape());
        assertEquals(Shape.of(21, 7), f.get("weight_hh_l0").shape());
        assertEquals(1049543222, Float.floatToRawIntBits(f.get("bias_hh_l0").toFloatArray()[0]));
        assertEquals(1015886425, Float.floatToRawIntBits(lastFloat(f.get("weight_ih_l0"))));
        assertEquals(3200094503L, Integer.toUnsignedLong(Float.floatToRawIntBits(lastFloat(f.get("input")))));
    }

    @Test
    void rewritingAConformanceCaseReproducesItByteForByte() throws IOException {
        for (String name : List.of("lstm_basic.safetensors", "gru_f32.safetensors")) {
            Path original = resource(name);
            SafetensorsFile f = Safetensors.read(original, BE);
            Path copy = dir.resolve("copy-" + name);
            Safetensors.write(copy, f.metadata(), f.tensors());
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(copy), name);
        }
    }

    @Test
    void missingTensorNameListsTheAvailableOnes() throws IOException {
        SafetensorsFile f = Safetensors.read(resource("lstm_basic.safetensors"), BE);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> f.get("weight_ih_l1"));
        assertContains(e, "\"weight_ih_l1\"", "lstm_basic.safetensors", "bias_hh_l0, bias_ih_l0, c0", "weight_ih_l0");
        assertFalse(f.contains("weight_ih_l1"));
        assertTrue(f.contains("weight_ih_l0"));
        assertContains(assertThrows(SafetensorsException.class, () -> f.metadata("output_size")),
                "output_size", "cell, input_size");
        assertThrows(UnsupportedOperationException.class, () -> f.tensors().remove("c0"));
    }

    // ---- malformed files ----------------------------------------------------------------------------

    @Test
    void tooShortFiles() throws IOException {
        for (int n = 0; n < 8; n++) {
            Path p = raw("short" + n, new byte[n]);
            assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE)),
                    p.toString(), "is " + n + " bytes long", "shorter than the 8-byte header length");
        }
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        byte[] body = "{}      ".getBytes(StandardCharsets.US_ASCII);
        Path p = raw("past", concat(le(body.length + 1), body));
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE)),
                p.toString(), "header length 9 runs past the end of the file (16 bytes, so at most 8");
    }

    @Test
    void hugeHeaderLengthFailsFastWithoutAllocating() throws IOException {
        Path p = raw("huge", concat(le(1L << 60), "{}".getBytes(StandardCharsets.US_ASCII)));
        long t0 = System.nanoTime();
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE));
        assertContains(e, p.toString(), "header length " + (1L << 60) + " runs past the end of the file (10 bytes");
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "fails fast");

        Path q = raw("u64max", le(-1L)); // 2^64 - 1, negative as a Java long
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(q, BE)),
                "header length 18446744073709551615 runs past");
    }

    @Test
    void headerAboveTheLimitIsRejectedEvenWhenTheFileIsThatBig() throws IOException {
        Path p = dir.resolve("sparse.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.write(le(Safetensors.MAX_HEADER_BYTES + 8));
            f.setLength(Safetensors.MAX_HEADER_BYTES + 64); // sparse on most file systems
        }
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE)),
                "header length 100000008 is above the limit of 100000000 bytes");
    }

    @Test
    void headerThatIsNotUtf8() throws IOException {
        byte[] header = concat("{\"a".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC3, 0x28},
                "\":{}}".getBytes(StandardCharsets.US_ASCII));
        Path p = raw("utf8", concat(le(header.length), header));
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE)),
                p.toString(), "not valid UTF-8");
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        String[][] cases = {
                {"", "empty document"},
                {"{", "unexpected end of input"},
                {"{\"a\":{},}", "expected a string key"},
                {"{'a':{}}", "expected a string key"},
                {"{\"a\" {}}", "expected ':'"},
                {"{} {}", "after the end of the value"},
                {"{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", "leading zero"},
                {"{\"a\":{\"dtype\":\"F\\x32\"}}", "invalid escape"},
                {"{\"a\":{\"dtype\":\"F32\u0001\"}}", "raw control character U+0001"},
                {"{\"a\":tru}", "expected a value"},
                {"{\"a\":1,\"a\":2}", "duplicate key \"a\""},
                {"{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}", "nesting deeper than"},
        };
        for (String[] c : cases) {
            Path p = header("json", c[0], new byte[0]);
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE), c[0]);
            assertContains(e, p.toString(), "header is not valid JSON", c[1]);
        }
    }

    @Test
    void headerThatIsNotAnObject() throws IOException {
        for (String[] c : new String[][] {{"[]", "an array"}, {"\"x\"", "a string"}, {"12", "an integer"}, {"null", "null"}}) {
            Path p = header("notobj", c[0], new byte[0]);
            assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE)),
                    p.toString(), "header must be a JSON object; found " + c[1]);
        }
    }

    @Test
    void badMetadata() throws IOException {
        Path p = header("meta1", "{\"__metadata__\":[\"a\"]}", new byte[0]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE)),
                p.toString(), "__metadata__ must be an object of strings; found an array");
        Path q = header("meta2", "{\"__metadata__\":{\"layers\":2}}", new byte[0]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(q, BE)),
                q.toString(), "value for key \"layers\" must be a string; found an integer");
    }

    @Test
    void badTensorEntries() throws IOException {
        String[][] cases = {
                // header entry for tensor "t" (8 bytes of data follow), expected message
                {"[1,2]", "expected an object with dtype, shape and data_offsets; found an array"},
                {"{\"shape\":[2],\"data_offsets\":[0,8]}", "missing field \"dtype\""},
                {"{\"dtype\":\"F32\",\"data_offsets\":[0,8]}", "missing field \"shape\""},
                {"{\"dtype\":\"F32\",\"shape\":[2]}", "missing field \"data_offsets\""},
                {"{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"offsets\":[0,8]}", "unknown field \"offsets\""},
                {"{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}", "dtype must be a string; found an integer"},
                {"{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}", "shape must be an array of integers; found an integer"},
                {"{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}", "shape[0] is -2; it must not be negative"},
                {"{\"dtype\":\"F32\",\"shape\":[1,2.0],\"data_offsets\":[0,8]}", "shape[1] must be a plain integer (no fraction or exponent); found 2.0"},
                {"{\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]}", "shape[0] must be a plain integer (no fraction or exponent); found 2"},
                {"{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}", "shape[0] must be an integer; found a string"},
                {"{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,8]}", "shape[0] must be an integer; found null"},
                {"{\"dtype\":\"F32\",\"shape\":[99999999999999999999],\"data_offsets\":[0,8]}", "shape[0] is 99999999999999999999, too large"},
                {"{\"dtype\":\"F32\",\"shape\":[0,2147483648],\"data_offsets\":[0,0]}", "dimension 1 of shape [0, 2147483648] is 2147483648"},
                {"{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}", "more elements than fit in 64 bits"},
                {"{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}", "data_offsets must be [begin, end]; found 1 numbers"},
                {"{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,16]}", "data_offsets must be [begin, end]; found 3 numbers"},
                {"{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{\"begin\":0}}", "data_offsets must be an array of integers; found an object"},
                {"{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}", "data_offsets[0] is -8; it must not be negative"},
                {"{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}", "data_offsets[1] must be a plain integer (no fraction or exponent); found 8.5"},
                {"{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}", "data_offsets [8, 0] ends before it begins"},
                {"{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}", "data_offsets [0, 16] run past the end of the data section, which has 8 bytes"},
                {"{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}", "data_offsets [0, 8] span 8 bytes but shape [3] of F32 needs 3 x 4 = 12 bytes"},
                {"{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}", "span 8 bytes but shape [2] of F64 needs 2 x 8 = 16 bytes"},
                {"{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,8]}", "span 8 bytes but shape [] of F32 needs 1 x 4 = 4 bytes"},
                {"{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2],\"data_offsets\":[0,8]}", "needs 9223372028264841218 x 8 = more than 2^63 bytes"},
        };
        for (String[] c : cases) {
            Path p = header("entry", "{\"t\":" + c[0] + "}", new byte[8]);
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE), c[0]);
            assertContains(e, "tensor \"t\" in " + p, c[1]);
        }
    }

    @Test
    void unsupportedAndUnknownDtypes() throws IOException {
        String[][] cases = {
                {"F16", "2", "unsupported dtype F16"},
                {"BF16", "2", "unsupported dtype BF16"},
                {"I64", "8", "unsupported dtype I64"},
                {"U8", "1", "unsupported dtype U8"},
                {"BOOL", "1", "unsupported dtype BOOL"},
                {"float32", "4", "unknown dtype \"float32\""},
                {"f32", "4", "unknown dtype \"f32\""},
        };
        for (String[] c : cases) {
            int bytes = 4 * Integer.parseInt(c[1]);
            Path p = header("dtype", "{\"w\":{\"dtype\":\"" + c[0] + "\",\"shape\":[4],\"data_offsets\":[0," + bytes + "]}}",
                    new byte[bytes]);
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE));
            assertEquals(c[2] + " for tensor \"w\" in " + p + " (supported: F32, F64)", e.getMessage());
        }
    }

    @Test
    void overlappingTensors() throws IOException {
        Path p = header("overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(p, BE)),
                p.toString(), "tensor \"b\" (data_offsets [4, 12]) overlaps tensor \"a\" (data_offsets [0, 8])");

        Path same = header("alias", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(same, BE)), "overlaps");

        Path inside = header("inside", "{\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(inside, BE)),
                "tensor \"e\" (data_offsets [4, 4]) overlaps tensor \"a\"");
    }

    @Test
    void holesAndTrailingBytes() throws IOException {
        Path hole = header("hole", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(hole, BE)),
                hole.toString(), "bytes [4, 8) of the data section belong to no tensor (a hole before tensor \"b\")");

        Path lead = header("lead", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(lead, BE)),
                "bytes [0, 4) of the data section belong to no tensor");

        Path trailing = header("trailing", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[7]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(trailing, BE)),
                trailing.toString(), "data section has 7 bytes but the tensors cover only 4; the last 3 bytes belong to no tensor");

        Path nothing = header("nothing", "{}", new byte[1]);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.read(nothing, BE)),
                "data section has 1 bytes but the tensors cover only 0");
    }

    @Test
    void acceptsAnyValidLayout() throws IOException {
        // header not padded, whitespace inside, escaped names, data order differs from header order, empty tensors
        ByteBuffer data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(2.5).putFloat(1f).putFloat(2f).putFloat(3f);
        String json = "{ \"b\\u00e9\" : {\"data_offsets\": [8, 20], \"shape\": [3], \"dtype\": \"F32\"},\n"
                + "  \"a\\/x\": {\"dtype\": \"F64\", \"shape\": [1, 1], \"data_offsets\": [0, 8]},\n"
                + "  \"z\": {\"dtype\": \"F64\", \"shape\": [0, 5], \"data_offsets\": [20, 20]},\n"
                + "  \"__metadata__\": {} }";
        Path p = header("valid", json, data.array());
        SafetensorsFile f = Safetensors.read(p, BE);
        assertEquals(List.of("bé", "a/x", "z"), List.copyOf(f.tensors().keySet()), "header order");
        assertArrayEquals(new float[] {1, 2, 3}, f.get("bé").toFloatArray());
        assertEquals(2.5, f.get("a/x").item());
        assertEquals(Shape.of(0, 5), f.get("z").shape());
        assertTrue(f.metadata().isEmpty());
    }

    // ---- writing --------------------------------------------------------------------------------------

    @Test
    void failedWriteLeavesTheExistingFileAndNoTemporaryFile() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Safetensors.write(p, Map.of("version", "1"), Map.of("w", f64(Shape.of(2), 1, 2)));
        byte[] before = Files.readAllBytes(p);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("fine", f64(Shape.of(1000), new double[1000]));
        tensors.put("broken", ArrayBackend.poisoned(DType.F64, Shape.of(3)));
        tensors.put("after", f32(Shape.of(1), 1f));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Safetensors.write(p, Map.of("version", "2"), tensors));
        assertTrue(e.getMessage().contains("poisoned"), e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(p), "existing file unchanged");
        assertEquals(List.of("model.safetensors"), listDir(), "no temporary file left");
        assertEquals("1", Safetensors.read(p, BE).metadata("version"));

        Path fresh = dir.resolve("fresh.safetensors");
        assertThrows(IllegalStateException.class, () -> Safetensors.write(fresh, null,
                Map.of("x", ArrayBackend.poisoned(DType.F32, Shape.of(2)))));
        assertFalse(Files.exists(fresh), "no file created by a failed write");
        assertEquals(List.of("model.safetensors"), listDir(), "no temporary file left");
    }

    @Test
    void overwritesAnExistingFile() throws IOException {
        Path p = dir.resolve("over.safetensors");
        Files.write(p, new byte[10_000]);
        Safetensors.write(p, Map.of("w", f32(Shape.of(1), 3f)));
        assertEquals(3f, Safetensors.read(p, BE).get("w").toFloatArray()[0]);
        assertEquals(List.of("over.safetensors"), listDir());
    }

    @Test
    void invalidWriteRequestsFailBeforeTouchingTheDisk() throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Map<String, Tensor> reserved = Map.of("__metadata__", f32(Shape.of(1), 1f));
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.write(p, reserved)),
                p.toString(), "\"__metadata__\" is reserved");

        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("t", null);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.write(p, nullTensor)), "tensor \"t\" is null");

        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertContains(assertThrows(SafetensorsException.class, () -> Safetensors.write(p, nullValue, Map.of())),
                "metadata value for key \"k\" is null");

        assertContains(assertThrows(SafetensorsException.class,
                        () -> Safetensors.write(p, Map.of("t\uD800", f32(Shape.of(1), 1f)))),
                "unpaired surrogate");

        Path sub = Files.createDirectory(dir.resolve("sub"));
        assertThrows(IOException.class, () -> Safetensors.write(sub, Map.of()));
        assertTrue(Files.isDirectory(sub));

        assertEquals(List.of("sub"), listDir());
    }

    @Test
    void newFilesGetDefaultPermissions() throws IOException {
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) return;
        Path plain = Files.createFile(dir.resolve("plain"));
        Path p = dir.resolve("perm.safetensors");
        Safetensors.write(p, Map.of());
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(p));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static void assertSameTensor(Tensor want, Tensor got, String name) {
        assertEquals(want.dtype(), got.dtype(), name);
        assertEquals(want.shape(), got.shape(), name);
        if (want.dtype() == DType.F64) {
            long[] a = Arrays.stream(want.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
            long[] b = Arrays.stream(got.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
            assertArrayEquals(a, b, name + ": bit patterns");
        } else {
            float[] x = want.toFloatArray(), y = got.toFloatArray();
            assertEquals(x.length, y.length, name);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), name + "[" + i + "]: bit pattern");
            }
        }
    }

    private static void assertContains(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(part),
                    "message should contain <" + part + ">; was <" + e.getMessage() + ">");
        }
    }

    private static double last(Tensor t) {
        double[] v = t.toDoubleArray();
        return v[v.length - 1];
    }

    private static float lastFloat(Tensor t) {
        float[] v = t.toFloatArray();
        return v[v.length - 1];
    }

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = SafetensorsTest.class.getResourceAsStream("/io/" + name)) {
            assertNotNull(in, "test resource io/" + name);
            Files.copy(in, p);
        }
        return p;
    }

    private Path raw(String name, byte[] bytes) throws IOException {
        Path p = Files.createTempFile(dir, name + "-", ".safetensors");
        Files.write(p, bytes);
        return p;
    }

    /** A file with {@code json} as its header (not padded) followed by {@code data}. */
    private Path header(String name, String json, byte[] data) throws IOException {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        return raw(name, concat(le(h.length), h, data));
    }

    private static byte[] le(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    private static long headerLength(Path p) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String headerText(Path p) throws IOException {
        byte[] all = Files.readAllBytes(p);
        return new String(all, 8, (int) headerLength(p), StandardCharsets.UTF_8);
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
