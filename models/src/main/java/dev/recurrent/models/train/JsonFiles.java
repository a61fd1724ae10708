package dev.recurrent.models.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Strict JSON files (Gson): written atomically (temporary file, flush to disk, rename), read as strict RFC 8259 JSON. */
public final class JsonFiles {
    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private JsonFiles() { }

    /** Pretty-printed JSON text of {@code value}. */
    public static String format(JsonElement value) { return PRETTY.toJson(value) + "\n"; }

    /** Parses strict JSON; anything else (trailing text, truncation, comments) fails with an {@link IllegalArgumentException}. */
    public static JsonElement parse(String text) {
        try {
            JsonReader r = new JsonReader(new StringReader(text));
            r.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) throw new IllegalArgumentException("unexpected text after the JSON value");
            return e;
        } catch (JsonParseException | IOException | IllegalStateException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new IllegalArgumentException("not valid JSON (" + m.lines().findFirst().orElse(m) + ")");
        }
    }

    /** Reads a JSON object from {@code file}. */
    public static JsonObject readObject(Path file) throws IOException {
        JsonElement e = parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!e.isJsonObject()) throw new IllegalArgumentException(file + ": expected a JSON object");
        return e.getAsJsonObject();
    }

    /** Writes {@code value} to {@code file} atomically: a failure leaves any previous file untouched and no temporary file behind. */
    public static void write(Path file, JsonElement value) throws IOException { writeAtomically(file, format(value).getBytes(StandardCharsets.UTF_8)); }

    /** Writes bytes to {@code file} through a temporary file in the same directory, flushed to disk, then renamed over it. */
    public static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp-" + Long.toHexString(System.nanoTime()));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
